// SPDX-License-Identifier: GPL-2.0
/* globals: global data in .data, .rodata and .bss. Counts frames and bytes in .bss, keeps the largest frame
 * seen in .data, and drops frames longer than the read-only limit in .rodata (TX-ing nothing). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 max_len = 1000;   /* .rodata: a loader may set it before load */
__u64 largest = 0;                     /* .data would need a non-zero initial value; see seen_marker */
__u64 seen_marker = 0x5eed;            /* .data */
__u64 frames;                          /* .bss */
__u64 bytes;                           /* .bss */

SEC("xdp")
int globals(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	__sync_fetch_and_add(&frames, 1);
	__sync_fetch_and_add(&bytes, len);
	if (len > largest)
		largest = len;
	seen_marker ^= len;
	return len > max_len ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
