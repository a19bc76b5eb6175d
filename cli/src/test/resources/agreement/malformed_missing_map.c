// SPDX-License-Identifier: GPL-2.0
/* Looks up a map the object does not define: the map is an extern, an undefined symbol that a lddw is
 * relocated against. Nothing can resolve it, so both backends must refuse the object. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct missing {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

extern struct missing counters SEC(".maps");

SEC("xdp")
int missing_map(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (v)
		*v += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
