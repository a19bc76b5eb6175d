// SPDX-License-Identifier: GPL-2.0
/* protocount: count packets per IP protocol in a per-CPU array (as the kernel's samples/bpf/xdp1 does),
 * and pass them all. Non-IP frames count under protocol 0. */
#include "parsing.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} protocount_map SEC(".maps");

SEC("xdp")
int protocount(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 off = 0;
	__u32 key = 0;
	__be16 eth_proto = parse_ethertype(data, data_end, &off);

	if (eth_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = data + off;
		if ((void *)(iph + 1) <= data_end)
			key = iph->protocol;
	} else if (eth_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = data + off;
		if ((void *)(ip6h + 1) <= data_end)
			key = ip6h->nexthdr;
	}
	__u64 *count = bpf_map_lookup_elem(&protocount_map, &key);
	if (count)
		*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
