// SPDX-License-Identifier: Apache-2.0
/* A BPFabric function using the switch's helpers: mirrors the frame to port 7, notifies the controller with
 * the metadata, prints a debug string and a debug number, and sends the frame out of port 2. */
#include <linux/types.h>

#define SEC(NAME) __attribute__((section(NAME), used))
#define PORT 0x00ULL

struct metadatahdr {
	__u32 in_port;
	__u32 sec;
	__u32 nsec;
	__u16 length;
} __attribute__((packed));

struct packet {
	struct metadatahdr metadata;
	__u8 frame[14];
};

static int (*bpf_mirror)(int port, void *buf, int len) = (void *)30;
static int (*bpf_notify)(int id, void *data, int len) = (void *)31;
static int (*bpf_debug)(unsigned long arg) = (void *)32;

static const char greeting[] = "fabric says hi";

__u64 prog(struct packet *pkt, unsigned len)
{
	bpf_mirror(7, pkt->frame, len - sizeof(pkt->metadata));
	bpf_notify(3, &pkt->metadata, sizeof(pkt->metadata));
	bpf_debug((unsigned long)greeting);
	bpf_debug(0x1234);
	return PORT | 2;
}

char _license[] SEC("license") = "Apache-2.0";
