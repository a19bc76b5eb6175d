// SPDX-License-Identifier: GPL-2.0
/* map_in_map: an array of maps whose slots the object fills with two inner arrays; the program counts packets
 * in slot 1's map. A test of inner map templates and initial map-in-map values. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

SEC("xdp")
int map_in_map(struct xdp_md *ctx)
{
	__u32 slot = 1, zero = 0;
	void *inner = bpf_map_lookup_elem(&outer, &slot);

	if (!inner)
		return XDP_ABORTED;
	__u64 *count = bpf_map_lookup_elem(inner, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
