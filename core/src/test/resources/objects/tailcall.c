// A prog_array initialised with programs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int tail_a(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp")
int tail_b(struct xdp_md *ctx)
{
    return XDP_DROP;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __uint(key_size, sizeof(__u32));
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = {
        [0] = (void *)&tail_a,
        [2] = (void *)&tail_b,
    },
};

SEC("xdp")
int entry(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &jump_table, ctx->ingress_ifindex & 3);
    return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
