// SPDX-License-Identifier: GPL-2.0
/* What a program sees of its context and packet in a run: each program reads the fields first, then writes
 * them as little-endian u32 words over the start of the frame (which must be long enough: 64 bytes for XDP,
 * 128 for TC), and returns the frame length it saw. Comparing the output packets of both backends compares
 * every field. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TC_ACT_OK 0

SEC("xdp")
int xdp_context(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	void *meta = (void *)(long)ctx->data_meta;
	__u32 w[8];

	w[0] = end - data;
	w[1] = data - meta;
	w[2] = ctx->ingress_ifindex;
	w[3] = ctx->rx_queue_index;
	w[4] = 0x600d; /* egress_ifindex: only devmap programs may read it */
	w[5] = bpf_xdp_get_buff_len(ctx);
	w[6] = 0x600d;
	w[7] = 0x600d;
	if (data + sizeof(w) > end)
		return XDP_ABORTED;
	__builtin_memcpy(data, w, sizeof(w));
	return w[0];
}

SEC("tc")
int tc_context(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	void *meta = (void *)(long)skb->data_meta;
	__u32 w[28];

	w[0] = skb->len;
	w[1] = end - data;
	w[2] = data - meta;
	w[3] = skb->pkt_type;
	w[4] = skb->mark;
	w[5] = skb->queue_mapping;
	w[6] = skb->protocol;
	w[7] = skb->vlan_present;
	w[8] = skb->vlan_tci;
	w[9] = skb->vlan_proto;
	w[10] = skb->priority;
	w[11] = skb->ingress_ifindex;
	w[12] = skb->ifindex;
	w[13] = skb->tc_index;
	w[14] = skb->cb[0];
	w[15] = skb->cb[4];
	w[16] = skb->hash;
	w[17] = skb->tc_classid;
	w[18] = skb->napi_id;
	w[19] = skb->wire_len;
	w[20] = skb->gso_segs;
	w[21] = skb->gso_size;
	w[22] = skb->tstamp;
	w[23] = skb->tstamp >> 32;
	w[24] = skb->data_end - skb->data;
	w[25] = skb->hwtstamp;
	w[26] = 0x600d;
	w[27] = 0x600d;
	if (data + sizeof(w) > end)
		return -1;
	__builtin_memcpy(data, w, sizeof(w));
	return w[0];
}

char LICENSE[] SEC("license") = "GPL";
