// SPDX-License-Identifier: GPL-2.0
/* flowtable: the per-packet work of a load balancer's connection table. Every IPv4 TCP or UDP packet is looked
 * up by its 5-tuple in a hash map; a new flow gets a backend (a hash of the tuple over NUM_BACKENDS) and is
 * inserted; a known one has its packet and byte counters updated. The backend's index goes into the frame's
 * destination MAC (02:00:00:00:00:<backend>) and the frame is sent back out (XDP_TX); other packets pass. */
#include "parsing.h"

#define NUM_BACKENDS 8

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow {
	__u64 packets;
	__u64 bytes;
	__u32 backend;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct flow);
} flows SEC(".maps");

SEC("xdp")
int flowtable(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u64 off = 0;
	struct flow_key key = {};

	if (parse_ethertype(data, data_end, &off) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *iph = data + off;
	if ((void *)(iph + 1) > data_end || iph->ihl != 5)
		return XDP_PASS;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	__u16 *ports = (void *)(iph + 1);
	if ((void *)(ports + 2) > data_end)
		return XDP_PASS;
	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.sport = ports[0];
	key.dport = ports[1];
	key.proto = iph->protocol;

	__u64 len = data_end - data;
	struct flow *f = bpf_map_lookup_elem(&flows, &key);
	if (f) {
		__sync_fetch_and_add(&f->packets, 1);
		__sync_fetch_and_add(&f->bytes, len);
	} else {
		struct flow nf = {.packets = 1, .bytes = len};
		__u32 h = key.saddr ^ key.daddr ^ ((__u32)key.sport << 16 | key.dport) ^ key.proto;
		h ^= h >> 16;
		h *= 0x45d9f3b;
		h ^= h >> 16;
		nf.backend = h % NUM_BACKENDS;
		bpf_map_update_elem(&flows, &key, &nf, BPF_NOEXIST);
		f = &nf;
	}
	eth->h_dest[0] = 0x02;
	eth->h_dest[1] = 0;
	eth->h_dest[2] = 0;
	eth->h_dest[3] = 0;
	eth->h_dest[4] = 0;
	eth->h_dest[5] = f->backend;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
