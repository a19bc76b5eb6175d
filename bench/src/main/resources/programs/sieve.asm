# Prime sieve: counts the primes below N with the sieve of Eratosthenes.
# In:  r1 = address of an N-byte scratch array (N a multiple of 8), r2 = N.
# Out: r0 = the number of primes below N (1028 for N = 8192).
# The array is cleared first, so every run starts from the same state.
    mov %r3, 0
clear:
    jge %r3, %r2, cleared
    mov %r4, %r1
    add %r4, %r3
    stdw [%r4+0], 0
    add %r3, 8
    ja clear
cleared:
    mov %r0, 0               # count
    mov %r3, 2               # i
outer:
    jge %r3, %r2, done
    mov %r4, %r1
    add %r4, %r3
    ldxb %r5, [%r4+0]
    jne %r5, 0, next         # marked: composite
    add %r0, 1
    mov %r6, %r3
    mul %r6, %r3             # j = i * i
inner:
    jge %r6, %r2, next
    mov %r4, %r1
    add %r4, %r6
    stb [%r4+0], 1
    add %r6, %r3
    ja inner
next:
    add %r3, 1
    ja outer
done:
    exit
