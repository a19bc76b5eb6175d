# Hand-written raw slots that decode to no instruction (for LLVM and for InstructionCodec alike),
# and zero runs: how llvm-objdump walks bad code (truncated.s: a lddw cut short by the end).
	.quad 0x0000000100000095	# exit with imm 1
	.quad 0x0000000000000001	# LDX with mode IMM
	.quad 0x00000000000000ff	# no such opcode
	.quad 0x0000000000000095	# exit
	.quad 0x0000000000000000	# a zero slot: "..."
	.quad 0x0000000000000000
	.quad 0x0000000100000000	# zeros then imm: skipped in 4-byte steps, misaligning what follows
	.quad 0x0000000000000095
	.quad 0x00000000000000e7	# ALU64 op 0xe0
	.quad 0x0000000000000095
