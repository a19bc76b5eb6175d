# Branch-heavy switch: dispatches every byte of the memory on its low 3 bits, through a binary tree of
# compares, into eight cases that update an accumulator.
# In:  r1 = address of the bytes, r2 = their count.
# Out: r0 = the accumulator.
#   case 0: acc += 1            case 4: acc *= 3
#   case 1: acc += b            case 5: acc += acc >> 3 (unsigned)
#   case 2: acc -= b            case 6: acc ^= b << 8
#   case 3: acc ^= 0x5a         case 7: acc -= 7
    mov %r0, 0
    mov %r3, %r1             # cursor
    add %r2, %r1             # end
    jge %r3, %r2, done
loop:
    ldxb %r4, [%r3+0]        # b
    mov %r5, %r4
    and %r5, 7               # key
    jgt %r5, 3, high
    jgt %r5, 1, two_three
    jeq %r5, 1, case1
case0:
    add %r0, 1
    ja next
case1:
    add %r0, %r4
    ja next
two_three:
    jeq %r5, 3, case3
case2:
    sub %r0, %r4
    ja next
case3:
    xor %r0, 0x5a
    ja next
high:
    jgt %r5, 5, six_seven
    jeq %r5, 5, case5
case4:
    mul %r0, 3
    ja next
case5:
    mov %r6, %r0
    rsh %r6, 3
    add %r0, %r6
    ja next
six_seven:
    jeq %r5, 7, case7
case6:
    mov %r6, %r4
    lsh %r6, 8
    xor %r0, %r6
    ja next
case7:
    sub %r0, 7
next:
    add %r3, 1
    jlt %r3, %r2, loop
done:
    exit
