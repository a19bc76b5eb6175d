package org.bpf4j.kernel.sys;

import java.util.Objects;

/**
 * A {@code BPF_PROG_TEST_RUN} request.
 *
 * @param data        the packet ({@code data_in}), at least 14 bytes for XDP and TC
 * @param dataOutSize room for {@code data_out}; 0 for the packet's length plus 512 bytes (grown on ENOSPC)
 * @param ctxIn       the context ({@code struct xdp_md}, {@code struct __sk_buff}), or null for the kernel's
 * @param ctxOutSize  room for {@code ctx_out}; 0 for none (or for {@code ctxIn}'s length when that is given)
 * @param repeat      how many times to run (the kernel reports the average duration); 0 and 1 run once
 * @param flags       {@code BPF_F_TEST_RUN_ON_CPU} (1), {@code BPF_F_TEST_XDP_LIVE_FRAMES} (2)
 * @param cpu         the CPU with {@code BPF_F_TEST_RUN_ON_CPU}
 */
public record TestRun(byte[] data, int dataOutSize, byte[] ctxIn, int ctxOutSize, int repeat, int flags, int cpu) {
    /** {@code BPF_F_TEST_RUN_ON_CPU}. */
    public static final int F_RUN_ON_CPU = 1;
    /** {@code BPF_F_TEST_XDP_LIVE_FRAMES}. */
    public static final int F_XDP_LIVE_FRAMES = 2;

    public TestRun {
        Objects.requireNonNull(data, "data");
        if (repeat < 0 || dataOutSize < 0 || ctxOutSize < 0) {
            throw new IllegalArgumentException("negative repeat or size");
        }
    }

    /** Runs {@code data} {@code repeat} times, with the kernel's default context. */
    public static TestRun of(byte[] data, int repeat) {
        return new TestRun(data, 0, null, 0, repeat, 0, 0);
    }

    public TestRun withContext(byte[] ctx, int outSize) {
        return new TestRun(data, dataOutSize, ctx, outSize, repeat, flags, cpu);
    }

    /** What the kernel answered. */
    public record Result(int retval, byte[] dataOut, byte[] ctxOut, long durationNanos) {}
}
