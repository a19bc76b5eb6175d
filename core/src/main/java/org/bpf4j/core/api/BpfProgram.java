package org.bpf4j.core.api;

import org.bpf4j.core.object.ProgramType;

/** A loaded program. */
public interface BpfProgram {
    String name();

    ProgramType type();

    /**
     * Runs the program once on a packet: in user space on bpf4j's engine, in the kernel as a test run
     * ({@code BPF_PROG_TEST_RUN}).
     */
    RunResult run(byte[] packet);
}
