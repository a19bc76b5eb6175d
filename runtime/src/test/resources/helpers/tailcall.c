// SPDX-License-Identifier: GPL-2.0
/* Tail calls through a program array: a chain of stages, slots that are empty or out of range, and a
 * program that tail-calls itself until the kernel's limit (MAX_TAIL_CALL_CNT, 33) stops it. */
#include "common.h"

int stage1(struct xdp_md *ctx);
int stage2(struct xdp_md *ctx);
int chain(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = {
		[0] = (void *)&chain,
		[1] = (void *)&stage1,
		[2] = (void *)&stage2,
	},
};

__u32 visits[3];
__u32 depth;
__u32 fell_through;

/* param 0: the slot to jump to. Falls through (XDP_DROP) when the slot is empty or beyond the array. */
SEC("xdp")
int entry(struct xdp_md *ctx)
{
	__u32 slot;

	if (PARAM(DATA(ctx), DATA_END(ctx), 0, slot))
		return XDP_ABORTED;
	visits[0]++;
	bpf_tail_call(ctx, &jumps, slot);
	return XDP_DROP;
}

SEC("xdp")
int stage1(struct xdp_md *ctx)
{
	visits[1]++;
	bpf_tail_call(ctx, &jumps, 2);
	return XDP_ABORTED;
}

SEC("xdp")
int stage2(struct xdp_md *ctx)
{
	visits[2]++;
	return XDP_TX;
}

/* Counts how deep it got; the first run is not a tail call, the next 33 are, the 34th call fails. */
SEC("xdp")
int chain(struct xdp_md *ctx)
{
	depth++;
	bpf_tail_call(ctx, &jumps, 0);
	fell_through++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
