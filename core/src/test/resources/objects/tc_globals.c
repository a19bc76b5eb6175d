// TC program using global data in .data, .rodata and .bss.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

volatile __u32 packets = 7;           /* .data */
volatile __u64 bytes_seen = 0x1122;   /* .data */
const volatile __u32 limit = 100;     /* .rodata */
const volatile __u32 verdict = TC_ACT_OK; /* .rodata */
__u64 dropped;                        /* .bss */
__u32 scratch[4];                     /* .bss */

SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
    packets++;
    bytes_seen += skb->len;
    if (packets > limit) {
        dropped++;
        scratch[skb->len & 3] = skb->len;
        return TC_ACT_SHOT;
    }
    return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
