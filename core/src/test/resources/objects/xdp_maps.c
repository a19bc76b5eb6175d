// XDP program with a BTF-defined hash map and an array.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
    __u32 saddr;
    __u32 daddr;
    __u16 sport;
    __u16 dport;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct flow_key);
    __type(value, __u64);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} flows SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u64));
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    __u32 idx = 0;
    if (data + 14 > data_end)
        idx = 1;
    __u64 *c = bpf_map_lookup_elem(&counters, &idx);
    if (c)
        __sync_fetch_and_add(c, 1);
    struct flow_key k = {};
    k.saddr = ctx->ingress_ifindex;
    __u64 one = 1;
    __u64 *v = bpf_map_lookup_elem(&flows, &k);
    if (v)
        *v += 1;
    else
        bpf_map_update_elem(&flows, &k, &one, BPF_ANY);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
