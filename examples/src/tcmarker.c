// SPDX-License-Identifier: GPL-2.0
/* tcmarker: a TC classifier that drops telnet (TCP port 23), marks SSH (22) with 0x22 and DNS over UDP (53)
 * with 0x53 in skb->mark and priority, and lets everything else through unchanged. */
#include "parsing.h"
#include <linux/pkt_cls.h>

SEC("tc")
int tcmarker(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u64 off = 0;
	__be16 eth_proto = parse_ethertype(data, data_end, &off);

	if (eth_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	struct iphdr *iph = data + off;
	if ((void *)(iph + 1) > data_end || iph->ihl < 5)
		return TC_ACT_OK;
	off += iph->ihl * 4;
	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *tcph = data + off;
		if ((void *)(tcph + 1) > data_end)
			return TC_ACT_OK;
		if (tcph->dest == bpf_htons(23))
			return TC_ACT_SHOT;
		if (tcph->dest == bpf_htons(22)) {
			skb->mark = 0x22;
			skb->priority = 6;
		}
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *udph = data + off;
		if ((void *)(udph + 1) > data_end)
			return TC_ACT_OK;
		if (udph->dest == bpf_htons(53)) {
			skb->mark = 0x53;
			skb->priority = 4;
		}
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
