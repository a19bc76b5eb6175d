# A lddw cut short by the end of the section: llvm-objdump prints each remaining byte as <unknown>.
	.quad 0x0000000000000095	# exit
	.quad 0x0000000500000118	# lddw r1 without its second slot
