// SPDX-License-Identifier: GPL-2.0
/* Reads packet bytes without checking them against data_end: well-formed as an object, refused by the
 * kernel's verifier ("invalid access to packet"). bpf4j has no verifier: what it does is reported. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	return *(__u32 *)(data + 100) == 0x12345678 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
