package org.bpf4j.runtime.helpers;

import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.hooks.TcAction;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.memory.Memory;

/**
 * The helpers that work on the packet, time, randomness and the trace log, with the kernel's numbers and
 * semantics ({@code include/uapi/linux/bpf.h}). Map helpers are in {@link MapHelpers}.
 */
public final class PacketHelpers {
    private PacketHelpers() {}

    public static final int KTIME_GET_NS = 5, TRACE_PRINTK = 6, GET_PRANDOM_U32 = 7, GET_SMP_PROCESSOR_ID = 8,
            SKB_STORE_BYTES = 9, L3_CSUM_REPLACE = 10, L4_CSUM_REPLACE = 11, REDIRECT = 23, SKB_LOAD_BYTES = 26,
            CSUM_DIFF = 28, GET_NUMA_NODE_ID = 42, XDP_ADJUST_HEAD = 44, XDP_ADJUST_META = 54, XDP_ADJUST_TAIL = 65,
            FIB_LOOKUP = 69, SPIN_LOCK = 93, SPIN_UNLOCK = 94, JIFFIES64 = 118, KTIME_GET_BOOT_NS = 125,
            KTIME_GET_COARSE_NS = 160, LOOP = 181, XDP_GET_BUFF_LEN = 188, XDP_LOAD_BYTES = 189,
            XDP_STORE_BYTES = 190;

    static final long BPF_F_RECOMPUTE_CSUM = 1, BPF_F_INVALIDATE_HASH = 2, BPF_F_HDR_FIELD_MASK = 0xf,
            BPF_F_PSEUDO_HDR = 0x10, BPF_F_MARK_MANGLED_0 = 0x20, BPF_F_MARK_ENFORCE = 0x40, BPF_F_INGRESS = 1;
    static final int LOOP_MAX = 1 << 23;

    /** Registers the helpers a program type may call. */
    public static void register(HelperTable t, ProgramType type) {
        t.register(KTIME_GET_NS, "bpf_ktime_get_ns", (c, a, b, d, e, f) -> state(c).services.monotonicNanos().getAsLong());
        t.register(KTIME_GET_BOOT_NS, "bpf_ktime_get_boot_ns", (c, a, b, d, e, f) -> state(c).services.bootNanos().getAsLong());
        t.register(KTIME_GET_COARSE_NS, "bpf_ktime_get_coarse_ns", (c, a, b, d, e, f) -> state(c).services.monotonicNanos().getAsLong());
        t.register(JIFFIES64, "bpf_jiffies64",
                (c, a, b, d, e, f) -> state(c).services.monotonicNanos().getAsLong() / (1_000_000_000L / HelperServices.HZ));
        t.register(GET_PRANDOM_U32, "bpf_get_prandom_u32", (c, a, b, d, e, f) -> state(c).nextRandom() & 0xffff_ffffL);
        t.register(GET_SMP_PROCESSOR_ID, "bpf_get_smp_processor_id", (c, a, b, d, e, f) -> state(c).cpu);
        t.register(GET_NUMA_NODE_ID, "bpf_get_numa_node_id", (c, a, b, d, e, f) -> 0);
        t.register(TRACE_PRINTK, "bpf_trace_printk", PacketHelpers::tracePrintk);
        t.register(CSUM_DIFF, "bpf_csum_diff", PacketHelpers::csumDiff);
        t.register(SPIN_LOCK, "bpf_spin_lock", PacketHelpers::spinLock);
        t.register(SPIN_UNLOCK, "bpf_spin_unlock", (c, lock, b, d, e, f) -> {
            c.memory().store32(lock, 0);
            return 0;
        });
        t.register(LOOP, "bpf_loop", PacketHelpers::loop);
        t.register(FIB_LOOKUP, "bpf_fib_lookup", FibLookup::lookup);
        switch (type) {
            case XDP -> {
                t.register(XDP_ADJUST_HEAD, "bpf_xdp_adjust_head", (c, ctx, delta, d, e, f) -> adjusted(c, state(c).buffer.adjustHead((int) delta)));
                t.register(XDP_ADJUST_TAIL, "bpf_xdp_adjust_tail", (c, ctx, delta, d, e, f) -> adjusted(c, state(c).buffer.adjustTail((int) delta)));
                t.register(XDP_ADJUST_META, "bpf_xdp_adjust_meta", (c, ctx, delta, d, e, f) -> adjusted(c, state(c).buffer.adjustMeta((int) delta)));
                t.register(XDP_GET_BUFF_LEN, "bpf_xdp_get_buff_len", (c, a, b, d, e, f) -> state(c).buffer.length());
                t.register(XDP_LOAD_BYTES, "bpf_xdp_load_bytes", (c, ctx, off, to, len, f) -> loadBytes(c, off, to, len));
                t.register(XDP_STORE_BYTES, "bpf_xdp_store_bytes", (c, ctx, off, from, len, f) -> storeBytes(c, off, from, len, 0));
                t.register(REDIRECT, "bpf_redirect", (c, ifindex, flags, d, e, f) -> {
                    if (flags != 0) {
                        return XdpAction.ABORTED.ordinal();
                    }
                    state(c).redirectIfindex = (int) ifindex;
                    return XdpAction.REDIRECT.ordinal();
                });
            }
            case SCHED_CLS, SCHED_ACT -> {
                t.register(SKB_LOAD_BYTES, "bpf_skb_load_bytes", (c, ctx, off, to, len, f) -> loadBytes(c, off, to, len));
                t.register(SKB_STORE_BYTES, "bpf_skb_store_bytes", (c, ctx, off, from, len, flags) -> storeBytes(c, off, from, len, flags));
                t.register(L3_CSUM_REPLACE, "bpf_l3_csum_replace", PacketHelpers::l3CsumReplace);
                t.register(L4_CSUM_REPLACE, "bpf_l4_csum_replace", PacketHelpers::l4CsumReplace);
                t.register(REDIRECT, "bpf_redirect", (c, ifindex, flags, d, e, f) -> {
                    if ((flags & ~BPF_F_INGRESS) != 0) {
                        return TcAction.SHOT.code();
                    }
                    state(c).redirectIfindex = (int) ifindex;
                    return TcAction.REDIRECT.code();
                });
            }
            default -> {}
        }
    }

    static PacketState state(HelperContext c) {
        if (!(c.attachment() instanceof PacketState s)) {
            throw new IllegalStateException("this helper needs a packet: run the program through a packet runner");
        }
        return s;
    }

    private static long adjusted(HelperContext c, int result) {
        PacketState s = state(c);
        if (result == 0) {
            s.hook.sync(s.buffer, s.context);
        }
        return result;
    }

    // bpf_skb_load_bytes / bpf_xdp_load_bytes: copy from the frame; -EFAULT (and a zeroed buffer) out of bounds
    private static long loadBytes(HelperContext c, long offset, long to, long len) {
        PacketState s = state(c);
        Memory m = c.memory();
        if (len <= 0 || len > 0xffff || offset < 0 || offset > s.buffer.length() - len) {
            if (len > 0 && len <= 0xffff) {
                for (int i = 0; i < len; i++) {
                    m.store8(to + i, 0);
                }
            }
            return -Errno.EFAULT;
        }
        long from = s.buffer.address(s.buffer.data() + (int) offset);
        for (int i = 0; i < len; i++) {
            m.store8(to + i, m.load8(from + i));
        }
        return 0;
    }

    private static long storeBytes(HelperContext c, long offset, long from, long len, long flags) {
        PacketState s = state(c);
        Memory m = c.memory();
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) {
            return -Errno.EINVAL;
        }
        if (len <= 0 || len > 0xffff || offset < 0 || offset > s.buffer.length() - len) {
            return -Errno.EFAULT;
        }
        long to = s.buffer.address(s.buffer.data() + (int) offset);
        for (int i = 0; i < len; i++) {
            m.store8(to + i, m.load8(from + i));
        }
        return 0;
    }

    private static long csumDiff(HelperContext c, long from, long fromSize, long to, long toSize, long seed) {
        // sizes are multiples of 4, at most 512 bytes in all (the kernel's per-CPU scratch buffer)
        if ((fromSize & 3) != 0 || (toSize & 3) != 0 || fromSize < 0 || toSize < 0 || fromSize + toSize > 512) {
            return -Errno.EINVAL;
        }
        // x86's csum_partial: 64-bit words (pairs of 32-bit ones) added with end-around carry, folded to 32 bits
        Memory m = c.memory();
        long sum = seed & 0xffff_ffffL;
        long pending = 0;
        boolean half = false;
        long total = fromSize + toSize;
        for (long o = 0; o < total; o += 4) {
            long w = o < fromSize ? ~m.load32(from + o) & 0xffff_ffffL : m.load32(to + o - fromSize);
            if (half) {
                sum = Checksum.addCarry(sum, pending | w << 32);
            } else {
                pending = w;
            }
            half = !half;
        }
        if (half) {
            sum = Checksum.addCarry(sum, pending);
        }
        return Checksum.add((int) (sum >>> 32), (int) sum) & 0xffff_ffffL;
    }

    private static long l3CsumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags) {
        PacketState s = state(c);
        if ((flags & ~BPF_F_HDR_FIELD_MASK) != 0) {
            return -Errno.EINVAL;
        }
        long at = fieldAddress(s, offset);
        if (at < 0) {
            return -Errno.EFAULT;
        }
        Memory m = c.memory();
        int check = (int) m.load16(at);
        int size = (int) (flags & BPF_F_HDR_FIELD_MASK);
        int updated = switch (size) {
            case 0 -> ~Checksum.fold(Checksum.add(~check & 0xffff, (int) to)) & 0xffff;
            case 2, 4 -> Checksum.replace(check, Checksum.sumOf(from, size), Checksum.sumOf(to, size));
            default -> -1;
        };
        if (updated < 0) {
            return -Errno.EINVAL;
        }
        m.store16(at, updated);
        return 0;
    }

    private static long l4CsumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags) {
        PacketState s = state(c);
        if ((flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK)) != 0) {
            return -Errno.EINVAL;
        }
        long at = fieldAddress(s, offset);
        if (at < 0) {
            return -Errno.EFAULT;
        }
        Memory m = c.memory();
        int check = (int) m.load16(at);
        boolean mangled0 = (flags & BPF_F_MARK_MANGLED_0) != 0;
        if (mangled0 && check == 0) {
            return 0; // a UDP datagram without checksum stays without
        }
        int size = (int) (flags & BPF_F_HDR_FIELD_MASK);
        int updated = switch (size) {
            case 0 -> ~Checksum.fold(Checksum.add(~check & 0xffff, (int) to)) & 0xffff;
            case 2, 4 -> Checksum.replace(check, Checksum.sumOf(from, size), Checksum.sumOf(to, size));
            default -> -1;
        };
        if (updated < 0) {
            return -Errno.EINVAL;
        }
        if (mangled0 && updated == 0) {
            updated = 0xffff; // CSUM_MANGLED_0
        }
        m.store16(at, updated);
        return 0;
    }

    // The address of a 2-byte checksum field at a frame offset, or -1 when it is outside the frame.
    private static long fieldAddress(PacketState s, long offset) {
        if (offset < 0 || offset > s.buffer.length() - 2L) {
            return -1;
        }
        return s.buffer.address(s.buffer.data() + (int) offset);
    }

    private static long tracePrintk(HelperContext c, long fmt, long size, long a1, long a2, long a3) {
        if (size <= 0 || size > 1024) {
            return -Errno.EINVAL;
        }
        Memory m = c.memory();
        byte[] raw = new byte[(int) size];
        m.read(fmt, raw, 0, raw.length);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        if (len == raw.length) {
            return -Errno.EINVAL; // the format must be NUL-terminated within its size
        }
        String line = TraceFormat.format(m, new String(raw, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1),
                a1, a2, a3);
        if (line == null) {
            return -Errno.EINVAL;
        }
        PacketState s = c.attachment() instanceof PacketState p ? p : null;
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        TraceLog log = s != null ? s.services.trace() : null;
        if (log != null) {
            log.write("[cpu " + s.cpu + "] " + text);
        }
        return line.length();
    }

    private static long spinLock(HelperContext c, long lock, long b, long d, long e, long f) {
        Memory m = c.memory();
        for (long spins = 0; m.compareAndExchange(lock, 4, 0, 1) != 0; spins++) {
            if (spins > 100_000_000L) {
                throw new IllegalStateException("bpf_spin_lock at 0x" + Long.toHexString(lock)
                        + " never became free: a program exited holding it?");
            }
            Thread.onSpinWait();
        }
        return 0;
    }

    // bpf_loop(nr_loops, callback, ctx, flags): callback(index, ctx) returns 0 to go on, 1 to stop
    private static long loop(HelperContext c, long count, long callback, long ctx, long flags, long f) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (count > LOOP_MAX || count < 0) {
            return -Errno.E2BIG;
        }
        long i = 0;
        while (i < count) {
            long r = c.callFunction(callback, i, ctx, 0, 0, 0);
            i++;
            if (r != 0) {
                break;
            }
        }
        return i;
    }

    /** BPFabric functions see no packet helpers; their debug helper prints a string. */
    static long fabricDebug(HelperContext c, long str) {
        PacketState s = c.attachment() instanceof PacketState p ? p : null;
        if (s != null) {
            s.services.trace().write("[cpu " + s.cpu + "] " + TraceFormat.string(c.memory(), str));
        }
        return 0;
    }
}
