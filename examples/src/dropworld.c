// SPDX-License-Identifier: GPL-2.0
/* dropworld: drop every packet. The smallest XDP program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int dropworld(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
