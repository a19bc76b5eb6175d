// SPDX-License-Identifier: GPL-2.0
/* TC programs for the skb helpers. Like xdp_packet.c, parameters come in the frame and results go back into
 * it or into the return value, so that bpf4j and the kernel's test run can be compared. */
#include "common.h"

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

__s64 tc_ret;

/* param 0: offset, 1: length (1 to 64). The destination starts as 64 bytes of 0xaa; afterwards the frame
 * holds the result at 8 and the whole destination from 16 (the frame must be 80 bytes at least). */
SEC("tc")
int skb_load(struct __sk_buff *skb)
{
	__u32 off, len;
	__u8 buf[64];
	void *data = DATA(skb), *end = DATA_END(skb);

	if (PARAM(data, end, 0, off) || PARAM(data, end, 1, len))
		return TC_ACT_SHOT;
	len = ((len - 1) & (sizeof(buf) - 1)) + 1;
	__builtin_memset(buf, 0xaa, sizeof(buf));
	long ret = bpf_skb_load_bytes(skb, off, buf, len);
	tc_ret = ret;
	data = DATA(skb);
	end = DATA_END(skb);
	if (data + 16 + sizeof(buf) > end)
		return TC_ACT_SHOT;
	*(__u32 *)(data + 8) = ret;
	__builtin_memcpy(data + 16, buf, sizeof(buf));
	return TC_ACT_OK;
}

/* param 0: offset, 1: length (1 to 64), 2: flags; stores 64 bytes counting up from 0x40 */
SEC("tc")
int skb_store(struct __sk_buff *skb)
{
	__u32 off, len, flags;
	__u8 buf[64];
	void *data = DATA(skb), *end = DATA_END(skb);

	if (PARAM(data, end, 0, off) || PARAM(data, end, 1, len) || PARAM(data, end, 2, flags))
		return TC_ACT_SHOT;
	len = ((len - 1) & (sizeof(buf) - 1)) + 1;
	for (int i = 0; i < sizeof(buf); i++)
		buf[i] = 0x40 + i;
	long ret = bpf_skb_store_bytes(skb, off, buf, len, flags);
	tc_ret = ret;
	return ret;
}

/* param 0: 3 (bpf_l3_csum_replace) or 4 (bpf_l4_csum_replace), 1: offset, 2: from, 3: to, 4: flags.
 * Returns the helper's result. */
SEC("tc")
int csum_replace(struct __sk_buff *skb)
{
	__u32 which, off, from, to, flags;
	void *data = DATA(skb), *end = DATA_END(skb);

	if (PARAM(data, end, 0, which) || PARAM(data, end, 1, off) || PARAM(data, end, 2, from)
	    || PARAM(data, end, 3, to) || PARAM(data, end, 4, flags))
		return TC_ACT_SHOT;
	long ret = which == 3 ? bpf_l3_csum_replace(skb, off, from, to, flags)
			      : bpf_l4_csum_replace(skb, off, from, to, flags);
	tc_ret = ret;
	return ret;
}

/* Source NAT of an IPv4 TCP or UDP frame (20-byte IP header): the new source address and port are the first
 * six bytes of the destination MAC. The checksums are updated incrementally, the l4 one with the pseudo
 * header flag for the address and, for UDP, BPF_F_MARK_MANGLED_0. Returns the first error, or TC_ACT_OK. */
SEC("tc")
int snat(struct __sk_buff *skb)
{
	void *data = DATA(skb), *end = DATA_END(skb);
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__be32 new_addr, old_addr;
	__be16 new_port, old_port;
	__u32 l4 = sizeof(*eth) + sizeof(*ip), check;
	__u64 mangled = 0;
	long ret;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_SHOT;
	__builtin_memcpy(&new_addr, eth->h_dest, 4);
	__builtin_memcpy(&new_port, eth->h_dest + 4, 2);
	old_addr = ip->saddr;
	if (ip->protocol == IPPROTO_TCP) {
		check = l4 + offsetof(struct tcphdr, check);
	} else if (ip->protocol == IPPROTO_UDP) {
		check = l4 + offsetof(struct udphdr, check);
		mangled = BPF_F_MARK_MANGLED_0;
	} else {
		return TC_ACT_OK;
	}
	if ((ret = bpf_skb_load_bytes(skb, l4, &old_port, sizeof(old_port))))
		return ret;
	if ((ret = bpf_l4_csum_replace(skb, check, old_addr, new_addr, BPF_F_PSEUDO_HDR | mangled | sizeof(new_addr))))
		return ret;
	if ((ret = bpf_l4_csum_replace(skb, check, old_port, new_port, mangled | sizeof(new_port))))
		return ret;
	if ((ret = bpf_l3_csum_replace(skb, sizeof(*eth) + offsetof(struct iphdr, check), old_addr, new_addr,
				       sizeof(new_addr))))
		return ret;
	if ((ret = bpf_skb_store_bytes(skb, sizeof(*eth) + offsetof(struct iphdr, saddr), &new_addr, sizeof(new_addr), 0)))
		return ret;
	if ((ret = bpf_skb_store_bytes(skb, l4, &new_port, sizeof(new_port), 0)))
		return ret;
	return TC_ACT_OK;
}

/* The same NAT of the destination address only, with one bpf_csum_diff feeding both checksum helpers
 * (size 0: "add this difference"), as Cilium does. */
SEC("tc")
int dnat_by_diff(struct __sk_buff *skb)
{
	void *data = DATA(skb), *end = DATA_END(skb);
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__be32 new_addr, old_addr;
	__u32 l4 = sizeof(*eth) + sizeof(*ip), check;
	__u64 mangled = 0;
	long ret;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return TC_ACT_SHOT;
	__builtin_memcpy(&new_addr, eth->h_dest, 4);
	old_addr = ip->daddr;
	if (ip->protocol == IPPROTO_TCP) {
		check = l4 + offsetof(struct tcphdr, check);
	} else if (ip->protocol == IPPROTO_UDP) {
		check = l4 + offsetof(struct udphdr, check);
		mangled = BPF_F_MARK_MANGLED_0;
	} else {
		return TC_ACT_OK;
	}
	__s64 diff = bpf_csum_diff(&old_addr, sizeof(old_addr), &new_addr, sizeof(new_addr), 0);
	if (diff < 0)
		return diff;
	if ((ret = bpf_l4_csum_replace(skb, check, 0, diff, BPF_F_PSEUDO_HDR | mangled)))
		return ret;
	if ((ret = bpf_l3_csum_replace(skb, sizeof(*eth) + offsetof(struct iphdr, check), 0, diff, 0)))
		return ret;
	if ((ret = bpf_skb_store_bytes(skb, sizeof(*eth) + offsetof(struct iphdr, daddr), &new_addr, sizeof(new_addr), 0)))
		return ret;
	return TC_ACT_OK;
}

/* param 0: ifindex, 1: flags */
SEC("tc")
int tc_redirect(struct __sk_buff *skb)
{
	__u32 ifindex, flags;

	if (PARAM(DATA(skb), DATA_END(skb), 0, ifindex) || PARAM(DATA(skb), DATA_END(skb), 1, flags))
		return TC_ACT_SHOT;
	return bpf_redirect(ifindex, flags);
}

char LICENSE[] SEC("license") = "GPL";
