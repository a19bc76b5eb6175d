// SPDX-License-Identifier: GPL-2.0
/* A router: bpf_fib_lookup for IPv4 and IPv6 frames, the Ethernet addresses rewritten and the frame redirected
 * on success, in XDP and in TC. What the lookup returned and left in its parameters is kept in fib_seen. */
#include "common.h"
#include <linux/ipv6.h>

#define AF_INET 2
#define AF_INET6 10
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

__u32 fib_flags;                                /* set by the test */
__u32 fib_plen = sizeof(struct bpf_fib_lookup); /* the test may pass less */
__u32 fib_no_tot_len;                           /* TC: leave tot_len 0, so that the helper checks the frame */

struct {
	long rc;
	struct bpf_fib_lookup params;
} fib_seen;

/* Fills the parameters from the frame; 0 when it is no IP frame. */
static __always_inline int fill(void *data, void *end, struct bpf_fib_lookup *p, __u32 ifindex)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > end)
			return 0;
		p->family = AF_INET;
		p->tos = ip->tos;
		p->l4_protocol = ip->protocol;
		p->tot_len = bpf_ntohs(ip->tot_len);
		p->ipv4_src = ip->saddr;
		p->ipv4_dst = ip->daddr;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > end)
			return 0;
		p->family = AF_INET6;
		p->l4_protocol = ip6->nexthdr;
		p->tot_len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
		__builtin_memcpy(p->ipv6_src, &ip6->saddr, 16);
		__builtin_memcpy(p->ipv6_dst, &ip6->daddr, 16);
	} else {
		return 0;
	}
	if (fib_no_tot_len)
		p->tot_len = 0;
	p->ifindex = ifindex;
	return 1;
}

static __always_inline void rewrite(void *data, void *end, struct bpf_fib_lookup *p)
{
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return;
	__builtin_memcpy(eth->h_dest, p->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, p->smac, ETH_ALEN);
}

SEC("xdp")
int route(struct xdp_md *ctx)
{
	struct bpf_fib_lookup p = {};

	if (!fill(DATA(ctx), DATA_END(ctx), &p, ctx->ingress_ifindex))
		return XDP_PASS;
	long rc = fib_plen == sizeof(p) ? bpf_fib_lookup(ctx, &p, sizeof(p), fib_flags)
					: bpf_fib_lookup(ctx, &p, sizeof(p) - 8, fib_flags);
	fib_seen.rc = rc;
	fib_seen.params = p;
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rc < 0 ? XDP_ABORTED : XDP_PASS;
	rewrite(DATA(ctx), DATA_END(ctx), &p);
	return bpf_redirect(p.ifindex, 0);
}

SEC("tc")
int route_tc(struct __sk_buff *skb)
{
	struct bpf_fib_lookup p = {};

	if (!fill(DATA(skb), DATA_END(skb), &p, skb->ingress_ifindex))
		return TC_ACT_OK;
	long rc = bpf_fib_lookup(skb, &p, sizeof(p), fib_flags);
	fib_seen.rc = rc;
	fib_seen.params = p;
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rc < 0 ? TC_ACT_SHOT : TC_ACT_OK;
	rewrite(DATA(skb), DATA_END(skb), &p);
	return bpf_redirect(p.ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
