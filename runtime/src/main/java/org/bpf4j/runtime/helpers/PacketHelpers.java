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
            BPF_F_PSEUDO_HDR = 0x10, BPF_F_MARK_MANGLED_0 = 0x20, BPF_F_MARK_ENFORCE = 0x40, BPF_F_IPV6 = 0x80,
            BPF_F_INGRESS = 1;
    /** BPF_MAX_LOOPS. */
    static final int LOOP_MAX = 1 << 23;
    /** The kernel's jiffies start 300 seconds before wrapping 32 bits ({@code include/linux/jiffies.h}). */
    public static final long INITIAL_JIFFIES = (-300L * HelperServices.HZ) & 0xffff_ffffL;
    private static final long U32 = 0xffff_ffffL;

    /** Registers the helpers a program type may call. */
    public static void register(HelperTable t, ProgramType type) {
        t.register(KTIME_GET_NS, "bpf_ktime_get_ns", (c, a, b, d, e, f) -> state(c).services.monotonicNanos().getAsLong());
        t.register(KTIME_GET_BOOT_NS, "bpf_ktime_get_boot_ns", (c, a, b, d, e, f) -> state(c).services.bootNanos().getAsLong());
        t.register(KTIME_GET_COARSE_NS, "bpf_ktime_get_coarse_ns", (c, a, b, d, e, f) -> state(c).services.monotonicNanos().getAsLong());
        t.register(JIFFIES64, "bpf_jiffies64", (c, a, b, d, e, f) -> INITIAL_JIFFIES
                + state(c).services.monotonicNanos().getAsLong() / (1_000_000_000L / HelperServices.HZ));
        t.register(GET_PRANDOM_U32, "bpf_get_prandom_u32", (c, a, b, d, e, f) -> state(c).nextRandom() & 0xffff_ffffL);
        t.register(GET_SMP_PROCESSOR_ID, "bpf_get_smp_processor_id", (c, a, b, d, e, f) -> state(c).cpu);
        t.register(GET_NUMA_NODE_ID, "bpf_get_numa_node_id", (c, a, b, d, e, f) -> 0);
        t.register(TRACE_PRINTK, "bpf_trace_printk", PacketHelpers::tracePrintk);
        t.register(CSUM_DIFF, "bpf_csum_diff", PacketHelpers::csumDiff);
        t.register(SPIN_LOCK, "bpf_spin_lock", PacketHelpers::spinLock);
        t.register(SPIN_UNLOCK, "bpf_spin_unlock", (c, lock, b, d, e, f) -> {
            // an atomic store, so that what the holder wrote is visible to the next holder (a plain store could
            // be reordered before the holder's writes)
            c.memory().atomic(lock, 4, Memory.ATOMIC_XCHG, 0);
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
                t.register(XDP_LOAD_BYTES, "bpf_xdp_load_bytes", (c, ctx, off, to, len, f) -> xdpBytes(c, off, to, len, false));
                t.register(XDP_STORE_BYTES, "bpf_xdp_store_bytes", (c, ctx, off, from, len, f) -> xdpBytes(c, off, from, len, true));
                t.register(REDIRECT, "bpf_redirect", (c, ifindex, flags, d, e, f) -> {
                    if (flags != 0) {
                        return XdpAction.ABORTED.ordinal();
                    }
                    PacketState s = state(c);
                    s.redirect((int) ifindex, 0);
                    return XdpAction.REDIRECT.ordinal();
                });
            }
            case SCHED_CLS, SCHED_ACT -> {
                t.register(SKB_LOAD_BYTES, "bpf_skb_load_bytes", (c, ctx, off, to, len, f) -> skbLoadBytes(c, off, to, len));
                t.register(SKB_STORE_BYTES, "bpf_skb_store_bytes", (c, ctx, off, from, len, flags) -> skbStoreBytes(c, off, from, len, flags));
                t.register(L3_CSUM_REPLACE, "bpf_l3_csum_replace", PacketHelpers::l3CsumReplace);
                t.register(L4_CSUM_REPLACE, "bpf_l4_csum_replace", PacketHelpers::l4CsumReplace);
                t.register(REDIRECT, "bpf_redirect", (c, ifindex, flags, d, e, f) -> {
                    if ((flags & ~BPF_F_INGRESS) != 0) {
                        return TcAction.SHOT.code();
                    }
                    state(c).redirect((int) ifindex, flags);
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

    // bpf_xdp_load_bytes / bpf_xdp_store_bytes (net/core/filter.c, bpf_xdp_pointer): offset and length are u32;
    // either above 0xffff is -EFAULT, a range beyond the frame -EINVAL; nothing is copied (or cleared) on error
    private static long xdpBytes(HelperContext c, long offset, long buf, long len, boolean store) {
        PacketState s = state(c);
        long off = offset & U32, n = len & U32;
        if (off > 0xffff || n > 0xffff) {
            return -Errno.EFAULT;
        }
        if (off + n > s.buffer.length()) {
            return -Errno.EINVAL;
        }
        long at = s.buffer.address(s.buffer.data() + (int) off);
        copy(c.memory(), store ? buf : at, store ? at : buf, n);
        return 0;
    }

    // bpf_skb_load_bytes: skb_header_pointer with an int offset; out of the frame -EFAULT and a cleared buffer
    private static long skbLoadBytes(HelperContext c, long offset, long to, long len) {
        PacketState s = state(c);
        Memory m = c.memory();
        long off = offset & U32, n = len & U32;
        if (off > Integer.MAX_VALUE || off + n > s.buffer.length()) {
            for (long i = 0; i < n; i++) {
                m.store8(to + i, 0);
            }
            return -Errno.EFAULT;
        }
        copy(m, s.buffer.address(s.buffer.data() + (int) off), to, n);
        return 0;
    }

    // bpf_skb_store_bytes: flags beyond RECOMPUTE_CSUM and INVALIDATE_HASH -EINVAL; offset above INT_MAX, or a
    // range the skb cannot make writable (beyond the frame), -EFAULT
    private static long skbStoreBytes(HelperContext c, long offset, long from, long len, long flags) {
        PacketState s = state(c);
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) {
            return -Errno.EINVAL;
        }
        long off = offset & U32, n = len & U32;
        if (off > Integer.MAX_VALUE || off + n > s.buffer.length()) {
            return -Errno.EFAULT;
        }
        copy(c.memory(), from, s.buffer.address(s.buffer.data() + (int) off), n);
        return 0;
    }

    // memmove within program memory (the ranges may overlap when a program copies packet to packet)
    private static void copy(Memory m, long from, long to, long n) {
        if (to > from && to < from + n) {
            for (long i = n - 1; i >= 0; i--) {
                m.store8(to + i, m.load8(from + i));
            }
        } else {
            for (long i = 0; i < n; i++) {
                m.store8(to + i, m.load8(from + i));
            }
        }
    }

    /*
     * bpf_csum_diff as the kernel has it since 6.12 (net/core/filter.c, "bpf: Fix bpf_csum_diff's return value"):
     * no scratch buffer, so any sizes (no longer multiples of 4, no longer at most 512 bytes in all); the result
     * is csum_partial(to, seed) - csum_partial(from), folded to 16 bits (csum_from32to16), the same on every
     * architecture. Checked against the kernel's results through BPF_PROG_TEST_RUN (see ChecksumHelpersTest and KernelAgreementTest).
     */
    private static long csumDiff(HelperContext c, long from, long fromSize, long to, long toSize, long seed) {
        Memory m = c.memory();
        long fromLen = fromSize & U32, toLen = toSize & U32;
        int ret = (int) seed;
        if (fromLen != 0 && toLen != 0) {
            ret = Checksum.sub(Checksum.partial(m, to, toLen, ret), Checksum.partial(m, from, fromLen, 0));
        } else if (toLen != 0) {
            ret = Checksum.partial(m, to, toLen, ret);
        } else if (fromLen != 0) {
            ret = ~Checksum.partial(m, from, fromLen, ~ret);
        }
        return Checksum.from32to16(ret);
    }

    // bpf_l3_csum_replace (net/core/filter.c): size 2 in 16-bit arithmetic (csum_replace2), 4 in 32-bit
    // (csum_replace4), 0 adds the difference in 'to' (from must be 0)
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
        int updated;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return -Errno.EINVAL;
                }
                updated = Checksum.replaceByDiff(check, (int) to);
            }
            case 2 -> updated = Checksum.replace2(check, (int) from, (int) to);
            case 4 -> updated = Checksum.replace4(check, (int) from, (int) to);
            default -> {
                return -Errno.EINVAL;
            }
        }
        m.store16(at, updated);
        return 0;
    }

    // bpf_l4_csum_replace (net/core/filter.c, inet_proto_csum_replace*): as the kernel does for an skb whose
    // ip_summed is CHECKSUM_NONE (BPF_PROG_TEST_RUN's), where BPF_F_PSEUDO_HDR and BPF_F_IPV6 change nothing in
    // the packet. Size 2 goes through csum_replace4 with zero-extended values, as inet_proto_csum_replace2 does.
    private static long l4CsumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags) {
        PacketState s = state(c);
        if ((flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK
                | BPF_F_IPV6)) != 0) {
            return -Errno.EINVAL;
        }
        long at = fieldAddress(s, offset);
        if (at < 0) {
            return -Errno.EFAULT;
        }
        Memory m = c.memory();
        int check = (int) m.load16(at);
        boolean mangled0 = (flags & BPF_F_MARK_MANGLED_0) != 0;
        if (mangled0 && (flags & BPF_F_MARK_ENFORCE) == 0 && check == 0) {
            return 0; // a UDP datagram without checksum stays without
        }
        int updated;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return -Errno.EINVAL;
                }
                updated = Checksum.replaceByDiff(check, (int) to);
            }
            case 2 -> updated = Checksum.replace4(check, (int) (from & 0xffff), (int) (to & 0xffff));
            case 4 -> updated = Checksum.replace4(check, (int) from, (int) to);
            default -> {
                return -Errno.EINVAL;
            }
        }
        if (mangled0 && updated == 0) {
            updated = 0xffff; // CSUM_MANGLED_0
        }
        m.store16(at, updated);
        return 0;
    }

    // The address of a 2-byte checksum field at a frame offset (a u32), or -1 when the kernel says -EFAULT: an
    // offset above 0xffff or odd, or a field the skb cannot make writable (beyond the frame).
    private static long fieldAddress(PacketState s, long offset) {
        long off = offset & U32;
        if (off > 0xffff || (off & 1) != 0 || off + 2 > s.buffer.length()) {
            return -1;
        }
        return s.buffer.address(s.buffer.data() + (int) off);
    }

    // bpf_trace_printk (kernel/trace/bpf_trace.c, bpf_bprintf_prepare in kernel/bpf/helpers.c): returns what
    // bstr_printf returns, the length of the whole line; the log gets at most MAX_BPRINTF_BUF - 1 characters
    private static long tracePrintk(HelperContext c, long fmt, long size, long a1, long a2, long a3) {
        long n = size & U32;
        Memory m = c.memory();
        StringBuilder format = new StringBuilder();
        boolean terminated = false;
        for (long i = 0; i < n; i++) {
            int b = (int) m.load8(fmt + i);
            if (b == 0) {
                terminated = true;
                break;
            }
            format.append((char) b);
        }
        if (!terminated) {
            return -Errno.EINVAL; // the format must be NUL-terminated within its size
        }
        TraceFormat.Result r = TraceFormat.format(m, format.toString(), a1, a2, a3);
        if (r.error() != 0) {
            return -r.error();
        }
        String line = r.text();
        if (line.length() > TraceFormat.MAX_BUF - 1) {
            line = line.substring(0, TraceFormat.MAX_BUF - 1);
        }
        int nul = line.indexOf('\0');
        if (nul >= 0) {
            line = line.substring(0, nul); // the trace event copies the line as a C string
        }
        PacketState s = c.attachment() instanceof PacketState p ? p : null;
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        TraceLog log = s != null ? s.services.trace() : null;
        if (log != null) {
            log.write("[cpu " + s.cpu + "] " + text);
        }
        return r.text().length();
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
    private static long loop(HelperContext c, long nrLoops, long callback, long ctx, long flags, long f) {
        long count = nrLoops & U32; // u32 nr_loops
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        if (count > LOOP_MAX) {
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
