// SPDX-License-Identifier: GPL-2.0
/* spin_lock: a TC program that counts packets in a hash map value guarded by a bpf_spin_lock. The kernel only
 * accepts such a map with the BTF of its value. A test of BTF-typed maps and of TC test runs. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct counter {
	struct bpf_spin_lock lock;
	__u64 packets;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} locked SEC(".maps");

SEC("tc")
int spin_lock(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct counter *c = bpf_map_lookup_elem(&locked, &key);

	if (c) {
		bpf_spin_lock(&c->lock);
		c->packets++;
		bpf_spin_unlock(&c->lock);
	}
	skb->mark = 0x77;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
