// SPDX-License-Identifier: GPL-2.0
/* Calls helper #999, which no kernel has: clang compiles the call, the kernel's verifier and bpf4j's loader
 * must both refuse the program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static long (*nope)(void) = (void *)999;

SEC("xdp")
int unknown_helper(struct xdp_md *ctx)
{
	return nope() ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
