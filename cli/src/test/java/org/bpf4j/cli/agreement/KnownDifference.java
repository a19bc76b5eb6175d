package org.bpf4j.cli.agreement;

import java.util.Arrays;
import org.bpf4j.core.object.ProgramType;

/**
 * The differences between the backends that these tests found, each a bug on bpf4j's side (the kernel is the
 * reference) with its cause and fix. The agreement tests recognise them (so that they do not hide new
 * differences); {@link KnownDifferencesTest} reproduces each one and fails once {@code -Dbpf4j.agreement.enforce=true}
 * is set, or once the assumption in it is removed after the fix.
 */
enum KnownDifference {
    /**
     * XDP test runs: the kernel's {@code data_out} starts at {@code data_meta} (net/bpf/test_run.c,
     * bpf_prog_test_run_xdp: {@code size = xdp.data_end - xdp.data_meta + sinfo->xdp_frags_size;
     * bpf_test_finish(kattr, uattr, xdp.data_meta, sinfo, size, ...)}), so the packet of a program that called
     * {@code bpf_xdp_adjust_meta} comes back with its metadata in front. UserspaceBackend returns
     * {@code PacketBuffer.frame()}, the bytes from {@code data} only.
     */
    XDP_PACKET_WITHOUT_METADATA("user space's RunResult.packet() leaves out the XDP metadata that the kernel's"
            + " data_out starts with (fix: UserspaceBackend.Program.run returns data_meta..data_end for XDP)"),
    /**
     * Control-plane operations that ring buffers and perf event arrays do not support: the kernel answers
     * {@code ENOTSUPP} (524: kernel/bpf/ringbuf.c ringbuf_map_{lookup,update,delete,get_next_key}_elem return
     * {@code -ENOTSUPP}; kernel/bpf/arraymap.c bpf_fd_array_map_lookup_elem returns {@code -ENOTSUPP} when the map
     * has no map_fd_sys_lookup_elem, as perf event arrays), user space {@code EOPNOTSUPP} (95).
     */
    CONTROL_PLANE_EOPNOTSUPP("user space refuses ring buffer key walks and perf event array lookups with EOPNOTSUPP"
            + " (95) where the kernel answers ENOTSUPP (524)"),
    /**
     * {@code bpf_perf_event_output} to a slot of a perf event array that holds no perf event: the kernel returns
     * {@code -ENOENT} (kernel/trace/bpf_trace.c __bpf_perf_event_output: {@code ee = READ_ONCE(array->ptrs[index]);
     * if (!ee) return -ENOENT;}); a freshly loaded object's slots are all empty. PerfEventArrayMap opens a buffer
     * in every slot at creation, so user space returns 0.
     */
    PERF_OUTPUT_WITHOUT_EVENT("bpf_perf_event_output to a slot without a perf event succeeds in user space (0),"
            + " the kernel says -ENOENT"),
    /**
     * {@code bpf_map_pop_elem} and {@code bpf_map_peek_elem} on an empty queue or stack: the kernel zeroes the
     * program's value buffer before returning {@code -ENOENT} (kernel/bpf/queue_stack_maps.c, __queue_map_get and
     * __stack_map_get: {@code if (queue_stack_map_is_empty(qs)) { memset(value, 0, qs->map.value_size); err =
     * -ENOENT; goto out; }}); QueueStackMap.take returns {@code -ENOENT} and leaves the buffer as it was.
     */
    EMPTY_POP_KEEPS_VALUE("pop/peek of an empty queue or stack leaves the value buffer as it was in user space;"
            + " the kernel zeroes it"),
    /**
     * XDP frames above {@value TestRunLimits#XDP_LINEAR_MAX} bytes: the kernel keeps the first
     * {@value TestRunLimits#XDP_LINEAR_MAX} bytes linear and puts the rest into page fragments (bpf_prog_test_run_xdp:
     * {@code if (size > max_data_sz) size = max_data_sz;} then the {@code while (size < kattr->test.data_size_in)}
     * loop filling {@code sinfo->frags}), so {@code data_end - data} is {@value TestRunLimits#XDP_LINEAR_MAX} and
     * {@code bpf_xdp_get_buff_len} the whole length. PacketBuffer.load grows one linear buffer instead.
     */
    XDP_MULTI_BUFFER("XDP frames above 3520 bytes are linear in user space, multi-buffer in the kernel"),
    /**
     * TC test runs: the kernel attaches the skb to the loopback device and sets {@code pkt_type} with
     * {@code eth_type_trans} (net/ethernet/eth.c) against lo's address and broadcast address, both
     * 00:00:00:00:00:00: a unicast destination other than that is {@code PACKET_OTHERHOST} (3), and
     * ff:ff:ff:ff:ff:ff, not being lo's broadcast address, {@code PACKET_MULTICAST} (2). Without a context
     * ({@code ctx_in}), {@code skb_iif} (ingress_ifindex) and the qdisc cb's {@code pkt_len} (wire_len) stay 0:
     * only convert___skb_to_skb (net/bpf/test_run.c) sets them, from a context ({@code cb->pkt_len = skb->len}
     * when its wire_len is 0). TcHook.packetType takes every unicast destination for the device's own
     * ({@code PACKET_HOST}) and ff:ff:ff:ff:ff:ff for {@code PACKET_BROADCAST}; TcHook.enter sets ingress_ifindex
     * to PacketMeta.NONE's 1 and wire_len to the length, and KernelBackend passes no context.
     */
    TC_SKB_FIELDS("__sk_buff fields of a TC run differ: pkt_type (user space has no device address; the test run"
            + " uses lo's), ingress_ifindex and wire_len (the kernel backend passes no context)");

    final String summary;

    KnownDifference(String summary) {
        this.summary = summary;
    }

    /** The known difference a packet difference is, or null. */
    static KnownDifference classifyPacket(ProgramType type, byte[] user, byte[] kernel) {
        int meta = kernel.length - user.length;
        if (type == ProgramType.XDP && meta > 0 && meta <= 255 && meta % 4 == 0
                && Arrays.equals(kernel, meta, kernel.length, user, 0, user.length)) {
            return XDP_PACKET_WITHOUT_METADATA;
        }
        return null;
    }

    /** The known difference a map difference is, or null. */
    static KnownDifference classifyMap(String difference) {
        if (difference.endsWith("errno EOPNOTSUPP in user space, errno ENOTSUPP in the kernel")) {
            return CONTROL_PLANE_EOPNOTSUPP;
        }
        return null;
    }

    @Override
    public String toString() {
        return name() + " (" + summary + ")";
    }
}
