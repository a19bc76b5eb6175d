// SPDX-License-Identifier: GPL-2.0
/* portfilter: drop TCP segments to port 80 (IPv4 and IPv6, VLAN tags skipped), pass everything else. */
#include "parsing.h"

#define BLOCKED_PORT 80

SEC("xdp")
int portfilter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 off = 0;
	__u8 proto;
	__be16 eth_proto = parse_ethertype(data, data_end, &off);

	if (eth_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = data + off;
		if ((void *)(iph + 1) > data_end)
			return XDP_PASS;
		if (iph->ihl < 5)
			return XDP_PASS;
		proto = iph->protocol;
		off += iph->ihl * 4;
	} else if (eth_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = data + off;
		if ((void *)(ip6h + 1) > data_end)
			return XDP_PASS;
		proto = ip6h->nexthdr;
		off += sizeof(*ip6h);
	} else {
		return XDP_PASS;
	}
	if (proto != IPPROTO_TCP)
		return XDP_PASS;
	struct tcphdr *tcph = data + off;
	if ((void *)(tcph + 1) > data_end)
		return XDP_PASS;
	if (tcph->dest == bpf_htons(BLOCKED_PORT))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
