// SPDX-License-Identifier: GPL-2.0
/* macswap: parse Ethernet and IPv4/IPv6, swap the source and destination MAC addresses and send the frame back
 * out of the interface it came in on (XDP_TX), as a reflector does; everything else passes. */
#include "parsing.h"

SEC("xdp")
int macswap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u64 off = 0;
	__be16 proto = parse_ethertype(data, data_end, &off);
	unsigned char tmp[ETH_ALEN];

	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
