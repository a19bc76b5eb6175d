# portfilter: drop TCP segments to port 80, pass everything else.
# Calling convention of raw programs: r1 = the frame (Ethernet), r2 = its length.
# Returns XDP actions: 1 = XDP_DROP, 2 = XDP_PASS.
mov %r0, 2
# Ethernet (14) + minimal IPv4 header (20) must be there.
jlt %r2, 34, exit
# EtherType 0x0800, read little endian from the wire's big endian.
ldxh %r3, [%r1+12]
jne %r3, 0x0008, exit
# IP protocol 6 = TCP.
ldxb %r3, [%r1+23]
jne %r3, 6, exit
# r3 = IPv4 header length in bytes (IHL * 4).
ldxb %r3, [%r1+14]
and %r3, 0xf
lsh %r3, 2
# The TCP ports must be inside the frame: 14 + IHL*4 + 4 <= length.
mov %r4, %r3
add %r4, 18
jgt %r4, %r2, exit
add %r3, %r1
# Destination port 80, big endian on the wire.
ldxh %r4, [%r3+16]
jne %r4, 0x5000, exit
mov %r0, 1
exit
