// A CO-RE field access: bpf4j refuses it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pkt_meta {
    __u32 a;
    __u32 len;
} __attribute__((preserve_access_index));

SEC("xdp")
int xdp_core(struct xdp_md *ctx)
{
    struct pkt_meta *m = (void *)(long)ctx->data_meta;
    __u32 v;
    bpf_probe_read_kernel(&v, sizeof(v), &m->len);
    return v ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
