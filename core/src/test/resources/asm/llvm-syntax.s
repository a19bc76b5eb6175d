# Hand-written LLVM-syntax source: every instruction form llvm-mc reads, in decimal and in hex,
# with local labels (.L: llvm-mc emits no symbol for them, so llvm-objdump's jump annotations
# stay relative to .text). Assembled by regenerate.sh; Assembler must produce the same bytes.
	r0 = 1
	r0 = 0x1
	w0 = 1
	r0 = -1
	w9 = -0x80000000
	r1 = 2147483647
	r1 = 0xffffffff
	r1 = r2
	w1 = w2
	r1 += r2
	r1 += 5
	w1 += w2
	w1 += -3
	r3 -= r4
	w3 -= 0x10
	r5 *= r6
	w5 *= 7
	r7 /= r8
	w7 /= 9
	r1 s/= r2
	w1 s/= 3
	r1 %= r2
	w1 %= 0x7
	r1 s%= r2
	w1 s%= -3
	r1 |= r2
	w1 |= 0xff
	r1 &= r2
	w1 &= 0xf0
	r1 ^= r2
	w1 ^= -1
	r1 <<= r2
	r1 <<= 63
	w1 <<= w2
	r1 >>= r2
	w1 >>= 3
	r1 s>>= r2
	w1 s>>= 31
	r0 = -r0
	w0 = -w0
	r10 = -r10
	r1 = (s8)r2
	r1 = (s16)r2
	r1 = (s32)r2
	w1 = (s8)w2
	w1 = (s16)w2
	r0 = be16 r0
	r0 = be32 r0
	r0 = be64 r0
	r0 = le16 r0
	r0 = le32 r0
	r0 = le64 r0
	r0 = bswap16 r0
	r0 = bswap32 r0
	r9 = bswap64 r9
	r3 = *(u8 *)(r1 + 12)
	w3 = *(u16 *)(r1 + 0xc)
	w3 = *(u32 *)(r1 - 4)
	r3 = *(u64 *)(r10 - 0x8)
	r3 = *(s8 *)(r1 - 4)
	r3 = *(s16 *)(r1 + 32767)
	r3 = *(s32 *)(r1 - 32768)
	*(u8 *)(r10 - 1) = w1
	*(u16 *)(r10 - 2) = w1
	*(u32 *)(r10 - 8) = r1
	*(u64 *)(r10 - 8) = r1
	*(u8 *)(r10 - 8) = -5
	*(u16 *)(r1 + 0x2) = 0x1234
	*(u32 *)(r1 + 0) = 0x7fffffff
	*(u64 *)(r10 - 8) = 5
	lock *(u64 *)(r10 - 8) += r1
	lock *(u32 *)(r10 - 8) += w1
	lock *(u64 *)(r10 - 8) |= r1
	lock *(u32 *)(r2 + 4) |= w3
	lock *(u64 *)(r10 - 8) &= r1
	lock *(u32 *)(r10 - 8) &= w1
	lock *(u64 *)(r10 - 8) ^= r1
	lock *(u32 *)(r10 - 8) ^= w1
	r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
	w1 = atomic_fetch_add((u32 *)(r10 - 8), w1)
	r1 = atomic_fetch_or((u64 *)(r10 - 8), r1)
	w1 = atomic_fetch_or((u32 *)(r2 + 0), w1)
	r1 = atomic_fetch_and((u64 *)(r10 - 8), r1)
	w1 = atomic_fetch_and((u32 *)(r2 + 0), w1)
	r1 = atomic_fetch_xor((u64 *)(r10 - 8), r1)
	w1 = atomic_fetch_xor((u32 *)(r2 + 0x10), w1)
	r1 = xchg_64(r10 - 8, r1)
	w1 = xchg32_32(r10 - 8, w1)
	r0 = cmpxchg_64(r10 - 8, r0, r1)
	w0 = cmpxchg32_32(r10 - 8, w0, w1)
.Ltop:
	if r1 == r2 goto +3
	if r1 != 5 goto -2
	if r1 > r2 goto .Ltop
	if r1 >= 0x10 goto .Lend
	if r1 < r2 goto +0
	if r1 <= -1 goto +1
	if r1 & r2 goto +1
	if r1 s> r2 goto +1
	if r1 s>= 7 goto +1
	if r1 s< r2 goto +1
	if r1 s<= -7 goto +1
	if w1 == w2 goto +1
	if w1 != 0x7fffffff goto +1
	if w1 > w2 goto +1
	if w1 >= 1 goto +1
	if w1 < w2 goto +1
	if w1 <= 1 goto +1
	if w1 & 0xf goto +1
	if w1 s> w2 goto +1
	if w1 s>= w2 goto +1
	if w1 s< 5 goto -2
	if w1 s<= w2 goto .Ltop
	goto +3
	goto -1
	goto .Lend
	gotol +3
	gotol .Ltop
	call 1
	call 0x7fffffff
	callx r2
	r1 = 0x1122334455667788 ll
	r1 = 5 ll
	r2 = -1 ll
	r0 = *(u8 *)skb[12]
	r0 = *(u16 *)skb[0x20]
	r0 = *(u32 *)skb[-1]
	r0 = *(u8 *)skb[r1]
	r0 = *(u16 *)skb[r2]
	r0 = *(u32 *)skb[r10]
	call .Lfunc
.Lend:
	exit
.Lfunc:
	r0 = 0
	exit
