package org.bpf4j.runtime.helpers;

import java.util.function.LongSupplier;

/**
 * What helpers need from the world outside the program, shared by every packet thread: clocks, the trace log,
 * the routing table for fib_lookup, a seed for the random helper. Replace the clock for deterministic runs.
 *
 * @param monotonicNanos CLOCK_MONOTONIC (bpf_ktime_get_ns)
 * @param bootNanos      CLOCK_BOOTTIME (bpf_ktime_get_boot_ns)
 * @param trace          where bpf_trace_printk writes
 * @param routes         the routing table bpf_fib_lookup consults
 * @param seed           seed of bpf_get_prandom_u32
 * @param fabric         where BPFabric's mirror and notify helpers send packets and messages
 */
public record HelperServices(LongSupplier monotonicNanos, LongSupplier bootNanos, TraceLog trace, RoutingTable routes,
        long seed, FabricSink fabric) {
    /** The kernel's CONFIG_HZ on Debian, for bpf_jiffies64. */
    public static final int HZ = 250;

    /** The same services with another clock, e.g. a fixed one for reproducible runs. */
    public HelperServices withClock(LongSupplier nanos) {
        return new HelperServices(nanos, nanos, trace, routes, seed, fabric);
    }

    /** Real clocks, a fresh trace log and routing table, a fixed seed. */
    public static HelperServices defaults() {
        return new HelperServices(System::nanoTime, System::nanoTime, new TraceLog(), new RoutingTable(), 42,
                new FabricSink.Collecting());
    }
}
