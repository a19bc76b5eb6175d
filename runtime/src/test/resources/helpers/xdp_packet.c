// SPDX-License-Identifier: GPL-2.0
/* XDP programs for the packet-moving helpers. Each reads its parameters from the frame (see common.h),
 * returns the helper's error when it fails and XDP_TX when it succeeds, and leaves what it observed in the
 * frame, so that bpf4j's run and the kernel's test run can be compared byte for byte. */
#include "common.h"

/* What a program saw, for the tests that read .bss from bpf4j. */
struct observed {
	__s64 ret;      /* the (last) helper's result */
	__u32 len;      /* data_end - data afterwards */
	__u32 metalen;  /* data - data_meta afterwards */
	__u32 meta0;    /* the first metadata word afterwards, when there is one */
	__u32 first;    /* the first frame word afterwards */
};
struct observed seen;

static __always_inline void observe(struct xdp_md *ctx, long ret)
{
	void *data = DATA(ctx), *end = DATA_END(ctx), *meta = DATA_META(ctx);

	seen.ret = ret;
	seen.len = end - data;
	seen.metalen = data - meta;
	if (meta + 4 <= data)
		seen.meta0 = *(__u32 *)meta;
	if (data + 4 <= end)
		seen.first = *(__u32 *)data;
}

/* param 0: delta */
SEC("xdp")
int adjust_head(struct xdp_md *ctx)
{
	__s32 delta;

	if (PARAM(DATA(ctx), DATA_END(ctx), 0, delta))
		return XDP_DROP;
	long ret = bpf_xdp_adjust_head(ctx, delta);
	observe(ctx, ret);
	return ret ? (int)ret : XDP_TX;
}

/* param 0: delta */
SEC("xdp")
int adjust_tail(struct xdp_md *ctx)
{
	__s32 delta;

	if (PARAM(DATA(ctx), DATA_END(ctx), 0, delta))
		return XDP_DROP;
	long ret = bpf_xdp_adjust_tail(ctx, delta);
	observe(ctx, ret);
	return ret ? (int)ret : XDP_TX;
}

/* param 0: metadata delta, 1: head delta (0: none), 2: a marker written to the first metadata word.
 * Afterwards the frame starts with the metadata length and the first metadata word, as the program sees
 * them after both moves. */
SEC("xdp")
int adjust_meta(struct xdp_md *ctx)
{
	__s32 meta_delta, head_delta;
	__u32 marker;
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, meta_delta) || PARAM(data, end, 1, head_delta) || PARAM(data, end, 2, marker))
		return XDP_DROP;
	long ret = bpf_xdp_adjust_meta(ctx, meta_delta);
	if (ret) {
		observe(ctx, ret);
		return (int)ret;
	}
	void *meta = DATA_META(ctx);
	data = DATA(ctx);
	if (meta + 4 <= data)
		*(__u32 *)meta = marker;
	if (head_delta) {
		ret = bpf_xdp_adjust_head(ctx, head_delta);
		if (ret) {
			observe(ctx, ret);
			return (int)ret;
		}
	}
	observe(ctx, 0);
	data = DATA(ctx);
	end = DATA_END(ctx);
	meta = DATA_META(ctx);
	if (data + 8 > end)
		return XDP_DROP;
	((__u32 *)data)[0] = data - meta;
	((__u32 *)data)[1] = meta + 4 <= data ? *(__u32 *)meta : 0;
	return XDP_TX;
}

/* param 0: offset, 1: length (1 to 64). The destination starts as 64 bytes of 0xaa; afterwards the frame
 * holds the result at 8 and the whole destination from 16 (the frame must be 80 bytes at least). */
SEC("xdp")
int xdp_load(struct xdp_md *ctx)
{
	__u32 off, len;
	__u8 buf[64];
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, off) || PARAM(data, end, 1, len))
		return XDP_DROP;
	len = ((len - 1) & (sizeof(buf) - 1)) + 1; /* 1 to 64, as the verifier can see */
	__builtin_memset(buf, 0xaa, sizeof(buf));
	long ret = bpf_xdp_load_bytes(ctx, off, buf, len);
	seen.ret = ret;
	data = DATA(ctx);
	end = DATA_END(ctx);
	if (data + 16 + sizeof(buf) > end)
		return XDP_DROP;
	*(__u32 *)(data + 8) = ret;
	__builtin_memcpy(data + 16, buf, sizeof(buf));
	return XDP_TX;
}

/* param 0: offset, 1: length (1 to 64); stores 64 bytes counting up from 0x40. */
SEC("xdp")
int xdp_store(struct xdp_md *ctx)
{
	__u32 off, len;
	__u8 buf[64];
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, off) || PARAM(data, end, 1, len))
		return XDP_DROP;
	len = ((len - 1) & (sizeof(buf) - 1)) + 1;
	for (int i = 0; i < sizeof(buf); i++)
		buf[i] = 0x40 + i;
	long ret = bpf_xdp_store_bytes(ctx, off, buf, len);
	seen.ret = ret;
	return ret ? (int)ret : XDP_TX;
}

/* Returns bpf_xdp_get_buff_len after growing the tail by param 0. */
SEC("xdp")
int buff_len(struct xdp_md *ctx)
{
	__s32 delta;

	if (PARAM(DATA(ctx), DATA_END(ctx), 0, delta))
		return XDP_DROP;
	if (bpf_xdp_adjust_tail(ctx, delta))
		return XDP_ABORTED;
	return bpf_xdp_get_buff_len(ctx);
}

/* param 0: sizes (from_size | to_size << 16), 1: seed, 2..17: from (64 bytes), 18..33: to (64 bytes).
 * Returns bpf_csum_diff's result. */
SEC("xdp")
int csum_diff(struct xdp_md *ctx)
{
	__u32 sizes, seed, from[16], to[16];
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, sizes) || PARAM(data, end, 1, seed))
		return XDP_DROP;
	if (data + 8 + sizeof(from) + sizeof(to) > end)
		return XDP_DROP;
	__builtin_memcpy(from, data + 8, sizeof(from));
	__builtin_memcpy(to, data + 8 + sizeof(from), sizeof(to));
	__u32 from_size = sizes & 0xffff, to_size = sizes >> 16;
	if (from_size > sizeof(from) || to_size > sizeof(to))
		return XDP_DROP;
	return bpf_csum_diff(from, from_size, to, to_size, seed);
}

/* param 0: ifindex, 1: flags */
SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	__u32 ifindex, flags;

	if (PARAM(DATA(ctx), DATA_END(ctx), 0, ifindex) || PARAM(DATA(ctx), DATA_END(ctx), 1, flags))
		return XDP_DROP;
	return bpf_redirect(ifindex, flags);
}

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

/* param 0: key, 1: flags, 2: a second key to redirect to afterwards (0xffffffff: none) */
SEC("xdp")
int redirect_map(struct xdp_md *ctx)
{
	__u32 key, flags, second;
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, key) || PARAM(data, end, 1, flags) || PARAM(data, end, 2, second))
		return XDP_DROP;
	long ret = bpf_redirect_map(&tx_ports, key, flags);
	if (second != 0xffffffff)
		ret = bpf_redirect_map(&tx_ports, second, flags);
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
