// SPDX-License-Identifier: GPL-2.0
/* What a program sees of its context: the fields of struct xdp_md and struct __sk_buff copied into the frame
 * (from offset 0, as u32 words), so that bpf4j's hooks can be compared with the kernel's test run. */
#include "common.h"

SEC("xdp")
int xdp_context(struct xdp_md *ctx)
{
	void *data = DATA(ctx), *end = DATA_END(ctx);
	__u32 *out = data;

	if ((void *)(out + 6) > end)
		return XDP_ABORTED;
	out[0] = end - data;
	out[1] = data - DATA_META(ctx);
	out[2] = ctx->ingress_ifindex;
	out[3] = ctx->rx_queue_index;
	out[4] = 0; /* egress_ifindex: devmap programs only */
	out[5] = 0;
	return XDP_PASS;
}

SEC("tc")
int tc_context(struct __sk_buff *skb)
{
	void *data = DATA(skb), *end = DATA_END(skb);
	__u32 *out = data;

	if ((void *)(out + 24) > end)
		return 2;
	out[0] = skb->len;
	out[1] = skb->pkt_type;
	out[2] = skb->mark;
	out[3] = skb->queue_mapping;
	out[4] = skb->protocol;
	out[5] = skb->vlan_present;
	out[6] = skb->vlan_tci;
	out[7] = skb->vlan_proto;
	out[8] = skb->priority;
	out[9] = skb->ingress_ifindex;
	out[10] = skb->ifindex;
	out[11] = skb->tc_index;
	out[12] = skb->cb[0] | skb->cb[4];
	out[13] = skb->tc_classid;
	out[14] = end - data;
	out[15] = data - DATA_META(skb);
	out[16] = skb->wire_len;
	out[17] = skb->gso_segs;
	out[18] = skb->gso_size;
	out[19] = skb->tstamp_type;
	out[20] = skb->napi_id;
	out[21] = skb->hash;
	out[22] = skb->tstamp;
	out[23] = skb->hwtstamp;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
