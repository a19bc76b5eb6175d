// SPDX-License-Identifier: GPL-2.0
/* bpf2bpf: bpf-to-bpf calls. A static and a global function compute a 16-bit sum over the IPv4 header; the
 * program passes frames whose IPv4 header checksum verifies, drops those whose checksum is wrong, and passes
 * everything that is not IPv4 (and IPv4 headers with options, which it does not check). */
#include "parsing.h"

static __attribute__((noinline)) __u32 add16(__u32 sum, __u16 word)
{
	sum += word;
	return (sum & 0xffff) + (sum >> 16);
}

/* A global function: verified on its own, so it takes the context and an offset, not packet pointers. */
__attribute__((noinline)) int header_ok(struct xdp_md *ctx, __u32 off)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

	if (off > 64)
		return -1;
	__u8 *start = data + off;
	if ((void *)(start + 1) > data_end)
		return -1;
	/* headers with options are not checked: a fixed length keeps the loop simple for the verifier */
	if ((*start & 0xf) != 5)
		return 1;
	__u16 *w = (__u16 *)start;
	if ((void *)(w + 10) > data_end)
		return -1;
	for (int i = 0; i < 10; i++)
		sum = add16(sum, w[i]);
	return (sum & 0xffff) == 0xffff;
}

SEC("xdp")
int bpf2bpf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 off = 0;

	if (parse_ethertype(data, data_end, &off) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	int ok = header_ok(ctx, off);
	if (ok < 0)
		return XDP_PASS;
	return ok ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
