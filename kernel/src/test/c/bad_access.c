// SPDX-License-Identifier: GPL-2.0
/* bad_access: reads the packet without checking data_end. The verifier refuses it, and its log names the line
 * of the read. A test of how load failures are reported. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bad_access(struct xdp_md *ctx)
{
	unsigned char *data = (unsigned char *)(long)ctx->data;

	unsigned char first = data[12]; /* no bounds check: refused */
	return first == 0x42 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
