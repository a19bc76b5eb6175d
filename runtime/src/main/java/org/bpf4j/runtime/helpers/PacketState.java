package org.bpf4j.runtime.helpers;

import java.lang.foreign.MemorySegment;
import org.bpf4j.runtime.hooks.Hook;
import org.bpf4j.runtime.hooks.PacketBuffer;

/**
 * What the helpers of one packet thread work on: the packet, its context, the CPU number, and what the program
 * asked for besides its return value (a redirect target, a tail call). An interpreter carries it as its
 * {@link org.bpf4j.runtime.HelperContext#attachment() attachment}.
 */
public final class PacketState {
    /** Tail calls a chain may make, as in the kernel (MAX_TAIL_CALL_CNT). */
    public static final int MAX_TAIL_CALLS = 33;

    final PacketBuffer buffer;
    final MemorySegment context;
    final Hook hook;
    final int cpu;
    final HelperServices services;
    private long random;

    /** The interface a redirect sends the packet to (bpf_redirect), or -1. */
    int redirectIfindex = -1;
    /** The redirect's flags: BPF_F_INGRESS for TC's bpf_redirect, BPF_F_BROADCAST and friends for redirect_map. */
    long redirectFlags;
    /** The key of a redirect_map target, and its map's handle; -1 when none. */
    long redirectMapKey = -1;
    long redirectMapHandle;
    /** The program a successful tail call switches to (its index in the loaded object), or -1. */
    int tailCallTarget = -1;
    int tailCalls;

    public PacketState(PacketBuffer buffer, MemorySegment context, Hook hook, int cpu, HelperServices services) {
        this.buffer = buffer;
        this.context = context;
        this.hook = hook;
        this.cpu = cpu;
        this.services = services;
        this.random = 0x9E3779B97F4A7C15L * (cpu + 1) ^ services.seed();
    }

    /** Forgets what the previous packet asked for. */
    public void reset() {
        clearRedirect();
        tailCallTarget = -1;
        tailCalls = 0;
    }

    /** Records a redirect to an interface (bpf_redirect); a later one replaces it, as in the kernel. */
    void redirect(int ifindex, long flags) {
        redirectIfindex = ifindex;
        redirectFlags = flags;
        redirectMapKey = -1;
        redirectMapHandle = 0;
    }

    /** Forgets the redirect target, as a failed redirect_map lookup does in the kernel. */
    void clearRedirect() {
        redirectIfindex = -1;
        redirectFlags = 0;
        redirectMapKey = -1;
        redirectMapHandle = 0;
    }

    public PacketBuffer buffer() {
        return buffer;
    }

    public MemorySegment context() {
        return context;
    }

    public Hook hook() {
        return hook;
    }

    public int cpu() {
        return cpu;
    }

    public int redirectIfindex() {
        return redirectIfindex;
    }

    /** The last redirect's flags (TC: {@code BPF_F_INGRESS} to deliver to the interface's ingress). */
    public long redirectFlags() {
        return redirectFlags;
    }

    public long redirectMapKey() {
        return redirectMapKey;
    }

    public long redirectMapHandle() {
        return redirectMapHandle;
    }

    /** Takes the pending tail call: the target program index, or -1. */
    public int takeTailCall() {
        int t = tailCallTarget;
        tailCallTarget = -1;
        return t;
    }

    // xorshift64*: a fast per-thread generator, no allocation
    int nextRandom() {
        long x = random;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        random = x;
        return (int) ((x * 0x2545F4914F6CDD1DL) >>> 32);
    }
}
