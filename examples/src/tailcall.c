// SPDX-License-Identifier: GPL-2.0
/* tailcall: a dispatcher that tail-calls a handler per EtherType through a program array: IPv4 frames go to
 * handle_ipv4 (which drops ICMP), IPv6 frames to handle_ipv6 (which counts and passes them), everything else
 * is passed by the dispatcher itself when the tail call finds no program. */
#include "parsing.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} tailcall_stats SEC(".maps");

int handle_ipv4(struct xdp_md *ctx);
int handle_ipv6(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} handlers SEC(".maps") = {
	.values = {
		[0] = (void *)&handle_ipv4,
		[1] = (void *)&handle_ipv6,
	},
};

static __always_inline void count(__u32 slot)
{
	__u64 *c = bpf_map_lookup_elem(&tailcall_stats, &slot);
	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 off = 0;
	__be16 proto = parse_ethertype(data, data_end, &off);

	if (proto == bpf_htons(ETH_P_IP))
		bpf_tail_call(ctx, &handlers, 0);
	else if (proto == bpf_htons(ETH_P_IPV6))
		bpf_tail_call(ctx, &handlers, 1);
	return XDP_PASS;
}

SEC("xdp")
int handle_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 off = 0;

	count(0);
	if (parse_ethertype(data, data_end, &off) != bpf_htons(ETH_P_IP))
		return XDP_ABORTED;
	struct iphdr *iph = data + off;
	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	return iph->protocol == IPPROTO_ICMP ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int handle_ipv6(struct xdp_md *ctx)
{
	count(1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
