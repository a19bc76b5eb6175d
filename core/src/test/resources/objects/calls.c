// bpf-to-bpf calls: static non-inlined functions and a global function.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} stats SEC(".maps");

static __attribute__((noinline)) int bump(__u32 idx)
{
    __u64 *v = bpf_map_lookup_elem(&stats, &idx);
    if (!v)
        return 0;
    *v += 1;
    return 1;
}

static __attribute__((noinline)) int twice(__u32 idx)
{
    return bump(idx) + bump(idx + 1);
}

__attribute__((noinline)) int global_check(struct xdp_md *ctx)
{
    if (!ctx)
        return 0;
    return ctx->data_end - ctx->data > 64 ? 1 : 0;
}

SEC("xdp")
int xdp_calls(struct xdp_md *ctx)
{
    int n = twice(0);
    if (global_check(ctx))
        n += bump(1);
    return n > 0 ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int tc_calls(struct __sk_buff *skb)
{
    return bump(skb->len & 1) ? 0 : 2;
}

char LICENSE[] SEC("license") = "GPL";
