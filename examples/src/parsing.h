/* Header parsing shared by the examples: bounds-checked as the verifier demands. */
#ifndef BPF4J_EXAMPLES_PARSING_H
#define BPF4J_EXAMPLES_PARSING_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* Skips up to two VLAN tags; returns the inner EtherType (network order) and moves *off past the tags,
 * or returns 0 when the frame is too short. */
static __always_inline __be16 parse_ethertype(void *data, void *data_end, __u64 *off)
{
	struct ethhdr *eth = data;
	__be16 proto;

	if ((void *)(eth + 1) > data_end)
		return 0;
	proto = eth->h_proto;
	*off = sizeof(*eth);
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		struct vlan_hdr *vh = data + *off;
		if ((void *)(vh + 1) > data_end)
			return 0;
		proto = vh->encapsulated_proto;
		*off += sizeof(*vh);
	}
	return proto;
}

#endif
