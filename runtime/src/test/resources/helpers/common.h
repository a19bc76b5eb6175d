/* Shared by the helper test programs: kernel headers and the convention that a test passes its parameters
 * in the frame itself, as little-endian u32 words from offset 0, so that the same frame drives the program
 * in bpf4j and in the kernel (BPF_PROG_TEST_RUN through bpftool). */
#ifndef BPF4J_HELPER_TESTS_COMMON_H
#define BPF4J_HELPER_TESTS_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Reads parameter word i (a constant) of the frame; non-zero when the frame is too short. */
#define PARAM(data, data_end, i, out)                                          \
	({                                                                     \
		__u32 *__p = (__u32 *)((void *)(data) + 4 * (i));              \
		int __bad = (void *)(__p + 1) > (void *)(data_end);            \
		if (!__bad)                                                    \
			(out) = *__p;                                          \
		__bad;                                                         \
	})

#define DATA(ctx) ((void *)(long)(ctx)->data)
#define DATA_END(ctx) ((void *)(long)(ctx)->data_end)
#define DATA_META(ctx) ((void *)(long)(ctx)->data_meta)

#endif
