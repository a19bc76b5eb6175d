// Sections by name, static (file-local) globals and string literals.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __u64 hits;                 /* .bss, referenced through the section symbol */
static volatile __u32 seed = 42;   /* .data */

SEC("xdp.frags")
int frags(struct xdp_md *ctx)
{
    hits++;
    return seed & 1 ? XDP_PASS : XDP_DROP;
}

SEC("tcx/ingress")
int ingress(struct __sk_buff *skb)
{
    const char *msg = "ingress %d\n";
    bpf_trace_printk(msg, 12, skb->len);
    return 0;
}

SEC("tcx/egress")
int egress(struct __sk_buff *skb)
{
    return hits > 10 ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
