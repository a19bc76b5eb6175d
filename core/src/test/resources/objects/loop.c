// A bpf_loop callback referenced by lddw src=PSEUDO_FUNC.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct ctx { __u64 sum; };

static int add_one(__u32 index, void *data)
{
    struct ctx *c = data;
    c->sum += index;
    return 0;
}

SEC("xdp")
int xdp_loop(struct xdp_md *xdp)
{
    struct ctx c = { .sum = 0 };
    bpf_loop(16, add_one, &c, 0);
    return c.sum > 100 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
