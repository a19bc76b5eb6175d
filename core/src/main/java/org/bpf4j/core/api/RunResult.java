package org.bpf4j.core.api;

/**
 * What one run of a program on a packet gave.
 *
 * @param retval        the program's return value (r0; the kernel reports its low 32 bits)
 * @param packet        the packet as the program left it
 * @param durationNanos how long the run took (the kernel's own measure for test runs)
 */
public record RunResult(long retval, byte[] packet, long durationNanos) {}
