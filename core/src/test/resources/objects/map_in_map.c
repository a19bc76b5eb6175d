// An array_of_maps with an inner map definition and an initial value.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u32);
} inner0 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner);
} outer SEC(".maps") = {
    .values = { [1] = &inner0 },
};

SEC("xdp")
int mim(struct xdp_md *ctx)
{
    __u32 k = 1;
    void *m = bpf_map_lookup_elem(&outer, &k);
    if (!m)
        return XDP_ABORTED;
    __u32 *v = bpf_map_lookup_elem(m, &k);
    return v ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
