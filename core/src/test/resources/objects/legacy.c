// BPFabric style: a legacy "maps" section and a program that is a plain .text function.
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

struct bpf_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

struct bpf_map_def SEC("maps") inports = {
    .type = 1, /* hash */
    .key_size = 6,
    .value_size = 4,
    .max_entries = 256,
};

struct bpf_map_def SEC("maps") stats = {
    .type = 2, /* array */
    .key_size = 4,
    .value_size = 8,
    .max_entries = 16,
    .map_flags = 0,
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) = (void *) 2;

struct packet {
    __u8 dst[6];
    __u8 src[6];
    __u16 ethertype;
    __u32 in_port;
};

__u64 prog(struct packet *pkt, unsigned len)
{
    __u32 port = pkt->in_port;
    bpf_map_update_elem(&inports, pkt->src, &port, 0);
    __u32 k = 0;
    __u64 *c = bpf_map_lookup_elem(&stats, &k);
    if (c)
        (*c)++;
    __u32 *out = bpf_map_lookup_elem(&inports, pkt->dst);
    if (out)
        return *out;
    return 0xfffffffdULL;
}

char _license[] SEC("license") = "GPL";
