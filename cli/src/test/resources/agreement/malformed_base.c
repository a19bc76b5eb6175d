// SPDX-License-Identifier: GPL-2.0
/* A well-formed object with a map lookup (a R_BPF_64_64 relocation on a lddw): both backends load it. The
 * malformed-object tests patch copies of its bytes (a relocation moved off its lddw, a relocation's symbol
 * index beyond the symbol table) and check that both backends refuse the copies. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

SEC("xdp")
int base(struct xdp_md *ctx)
{
	__u32 key = (ctx->data_end - ctx->data) & 3;
	__u64 *v = bpf_map_lookup_elem(&hits, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
