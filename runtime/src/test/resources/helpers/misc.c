// SPDX-License-Identifier: GPL-2.0
/* XDP programs for the helpers that do not touch the packet: clocks, randomness, CPU, bpf_loop,
 * bpf_for_each_map_elem, spin locks, queues and stacks, ring buffers and perf event arrays. */
#include "common.h"

/* ---- clocks, randomness, CPU */

struct {
	__u64 ktime1, ktime2, boot, coarse, jiffies;
	__u32 rand1, rand2, rand3, cpu, numa;
} env;

SEC("xdp")
int environment(struct xdp_md *ctx)
{
	env.ktime1 = bpf_ktime_get_ns();
	env.ktime2 = bpf_ktime_get_ns();
	env.boot = bpf_ktime_get_boot_ns();
	env.coarse = bpf_ktime_get_coarse_ns();
	env.jiffies = bpf_jiffies64();
	env.rand1 = bpf_get_prandom_u32();
	env.rand2 = bpf_get_prandom_u32();
	env.rand3 = bpf_get_prandom_u32();
	env.cpu = bpf_get_smp_processor_id();
	env.numa = bpf_get_numa_node_id();
	return XDP_PASS;
}

/* ---- bpf_loop */

struct loop_ctx {
	__u32 stop_at;  /* the index at which the callback returns 1 */
	__u32 calls;
	__u64 index_sum;
};

static long loop_step(__u32 index, struct loop_ctx *c)
{
	c->calls++;
	c->index_sum += index;
	return index == c->stop_at;
}

struct loop_ctx loop_seen;
long loop_ret;

/* param 0: nr_loops, 1: stop_at, 2: flags. Returns bpf_loop's result. */
SEC("xdp")
int loop(struct xdp_md *ctx)
{
	struct loop_ctx c = {};
	__u32 n, flags;
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, n) || PARAM(data, end, 1, c.stop_at) || PARAM(data, end, 2, flags))
		return XDP_DROP;
	loop_ret = bpf_loop(n, loop_step, &c, flags);
	loop_seen = c;
	return loop_ret;
}

/* ---- bpf_for_each_map_elem */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} numbers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} prices SEC(".maps");

struct sum_ctx {
	__u32 stop_key; /* the callback returns 1 after visiting this key */
	__u32 visited;
	__u64 sum;
};

static long add_value(void *map, __u32 *key, __u64 *value, struct sum_ctx *c)
{
	c->visited++;
	c->sum += *value;
	*value += 1000; /* the callback may write the value */
	return *key == c->stop_key;
}

struct sum_ctx sum_seen;
long for_each_ret;

/* param 0: 0 for the array, 1 for the hash; 1: the key to stop after (0xffffffff: none); 2: flags */
SEC("xdp")
int for_each(struct xdp_md *ctx)
{
	struct sum_ctx c = {};
	__u32 which, flags;
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, which) || PARAM(data, end, 1, c.stop_key) || PARAM(data, end, 2, flags))
		return XDP_DROP;
	if (which == 0)
		for_each_ret = bpf_for_each_map_elem(&numbers, add_value, &c, flags);
	else
		for_each_ret = bpf_for_each_map_elem(&prices, add_value, &c, flags);
	sum_seen = c;
	return XDP_PASS;
}

/* ---- bpf_spin_lock */

struct counter {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 value;
	__u64 updates;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

/* A read-modify-write that takes a while, so that two CPUs without the lock would lose updates. */
SEC("xdp")
int locked_count(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct counter *c = bpf_map_lookup_elem(&counters, &zero);

	if (!c)
		return XDP_ABORTED;
	bpf_spin_lock(&c->lock);
	__u64 v = c->value;
	__u64 u = c->updates;
	c->updates = u + 1;
	c->value = v + 1;
	bpf_spin_unlock(&c->lock);
	return XDP_PASS;
}

/* ---- queues and stacks */

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, __u32);
} lifo SEC(".maps");

struct {
	long push[6];
	long pop[6];
	__u32 popped[6];
	long peek;
	__u32 peeked;
} qs;

/* param 0: 0 for the queue, 1 for the stack; 1: BPF_EXIST to push on a full map (overwriting the oldest).
 * Pushes 10, 20 ... 60 into a map of 4, peeks, then pops 6 times. */
SEC("xdp")
int queue_stack(struct xdp_md *ctx)
{
	__u32 which, flags;
	void *data = DATA(ctx), *end = DATA_END(ctx);
	void *map;

	if (PARAM(data, end, 0, which) || PARAM(data, end, 1, flags))
		return XDP_DROP;
	map = which == 0 ? (void *)&fifo : (void *)&lifo;
	for (int i = 0; i < 6; i++) {
		__u32 v = 10 * (i + 1);
		qs.push[i] = bpf_map_push_elem(map, &v, flags);
	}
	qs.peek = bpf_map_peek_elem(map, &qs.peeked);
	for (int i = 0; i < 6; i++)
		qs.pop[i] = bpf_map_pop_elem(map, &qs.popped[i]);
	return XDP_PASS;
}

/* ---- ring buffer */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__u64 avail_before, avail_after, size, cons, prod, bad_flag;
	long output;
	__u32 reserved_null;
} rb;

/* param 0: length of the frame to copy (at most 64), 1: 1 to discard the reserved record instead of
 * submitting it, 2: bytes to reserve (0: the frame length). Reserves a record with the first frame bytes,
 * then outputs the frame length as a record of its own. */
SEC("xdp")
int ring(struct xdp_md *ctx)
{
	__u32 len, discard, size;
	void *data = DATA(ctx), *end = DATA_END(ctx);

	if (PARAM(data, end, 0, len) || PARAM(data, end, 1, discard) || PARAM(data, end, 2, size))
		return XDP_DROP;
	rb.avail_before = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (size == 0) {
		__u8 *rec = bpf_ringbuf_reserve(&events, 64, 0);
		if (!rec) {
			rb.reserved_null = 1;
			return XDP_PASS;
		}
		len &= 63;
		if (bpf_xdp_load_bytes(ctx, 0, rec, 64) == 0)
			rec[0] = len;
		if (discard)
			bpf_ringbuf_discard(rec, 0);
		else
			bpf_ringbuf_submit(rec, 0);
	} else {
		/* a big reservation, to find the ring's limit: 4080 bytes of data take 4088 with the header, 4088 take
		 * the whole ring */
		void *rec = size == 4080 ? bpf_ringbuf_reserve(&events, 4080, 0) : bpf_ringbuf_reserve(&events, 4088, 0);
		rb.reserved_null = !rec;
		if (rec)
			bpf_ringbuf_submit(rec, 0);
	}
	__u64 frame_len = end - data;
	rb.output = bpf_ringbuf_output(&events, &frame_len, sizeof(frame_len), BPF_RB_NO_WAKEUP);
	rb.avail_after = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	rb.size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	rb.cons = bpf_ringbuf_query(&events, BPF_RB_CONS_POS);
	rb.prod = bpf_ringbuf_query(&events, BPF_RB_PROD_POS);
	rb.bad_flag = bpf_ringbuf_query(&events, 99);
	return XDP_PASS;
}

/* ---- perf event array */

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

struct sample {
	__u32 cpu;
	__u32 len;
	__u8 head[8];
};

long perf_ret[5];

/* Outputs a sample to the current CPU's buffer, one to buffer 3, one to an index beyond the map, then asks for
 * packet bytes to be appended (BPF_F_CTXLEN_MASK): 8, and more than the frame has. */
SEC("xdp")
int perf(struct xdp_md *ctx)
{
	void *data = DATA(ctx), *end = DATA_END(ctx);
	struct sample s = {.cpu = bpf_get_smp_processor_id(), .len = end - data};

	if (data + 8 <= end)
		__builtin_memcpy(s.head, data, 8);
	perf_ret[0] = bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	perf_ret[1] = bpf_perf_event_output(ctx, &samples, 3, &s, sizeof(s));
	perf_ret[2] = bpf_perf_event_output(ctx, &samples, 4, &s, sizeof(s));
	perf_ret[3] = bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU | 8ULL << 32, &s, sizeof(s));
	perf_ret[4] = bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU | 4096ULL << 32, &s, sizeof(s));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
