// SPDX-License-Identifier: GPL-2.0
/* An array map whose key is 8 bytes: arrays are indexed by a u32, so the kernel refuses to create the map
 * (EINVAL), and bpf4j must refuse it too. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u64);
} wide_keys SEC(".maps");

SEC("xdp")
int bad_map(struct xdp_md *ctx)
{
	__u64 key = 0;
	__u64 *v = bpf_map_lookup_elem(&wide_keys, &key);

	return v ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
