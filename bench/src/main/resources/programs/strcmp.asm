# strcmp: compares the NUL-terminated strings at r1 and at r1 + r2 / 2, byte by byte, as C's strcmp does
# with unsigned bytes.
# In:  r1 = address of the memory, r2 = its length (the second string starts half way).
# Out: r0 = the difference of the first bytes that differ (first minus second), or 0 when the strings are equal.
    mov %r3, %r2
    rsh %r3, 1
    add %r3, %r1             # the second string
loop:
    ldxb %r4, [%r1+0]
    ldxb %r5, [%r3+0]
    jne %r4, %r5, differ
    jeq %r4, 0, equal
    add %r1, 1
    add %r3, 1
    ja loop
differ:
    mov %r0, %r4
    sub %r0, %r5
    exit
equal:
    mov %r0, 0
    exit
