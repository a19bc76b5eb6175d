// SPDX-License-Identifier: Apache-2.0
/* fabric_learning: a BPFabric learning switch. Learns the input port of every source MAC in a hash map and
 * forwards to the learned port of the destination, flooding unknown and broadcast destinations. Written as
 * BPFabric functions are: a function in .text, legacy maps, BPFabric's helpers (lookup takes three arguments
 * and writes the value's address). */
#include <linux/types.h>

typedef __u8 uint8_t;
typedef __u16 uint16_t;
typedef __u32 uint32_t;
typedef __u64 uint64_t;

#define SEC(NAME) __attribute__((section(NAME), used))

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct metadatahdr {
	uint32_t in_port;
	uint32_t sec;
	uint32_t nsec;
	uint16_t length;
} __attribute__((packed));

struct ethhdr {
	uint8_t h_dest[6];
	uint8_t h_source[6];
	uint16_t h_proto;
} __attribute__((packed));

struct packet {
	struct metadatahdr metadata;
	struct ethhdr eth;
};

#define BPF_MAP_TYPE_HASH 1
#define PORT       0x00ULL
#define FLOOD      (0x01ULL << 32)
#define CONTROLLER (0x02ULL << 32)
#define DROP       (0x03ULL << 32)

static int (*bpf_map_lookup_elem)(void *map, void *key, void *value) = (void *) 1;
static int (*bpf_map_update_elem)(void *map, void *key, void *value, unsigned long long flags) = (void *) 2;

struct bpf_map_def SEC("maps") inports = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 6,
	.value_size = sizeof(uint32_t),
	.max_entries = 256,
};

uint64_t prog(struct packet *pkt)
{
	uint32_t *out_port;

	/* learn */
	if ((pkt->eth.h_source[0] & 1) == 0)
		bpf_map_update_elem(&inports, pkt->eth.h_source, &pkt->metadata.in_port, 0);
	/* forward */
	if ((pkt->eth.h_dest[0] & 1) == 0 && bpf_map_lookup_elem(&inports, pkt->eth.h_dest, &out_port) == 0) {
		if (*out_port == pkt->metadata.in_port)
			return DROP;
		return PORT | *out_port;
	}
	return FLOOD;
}

char _license[] SEC("license") = "Apache-2.0";
