package org.bpf4j.core.object;

import java.util.Locale;

/**
 * What a program is written for: it fixes the context layout, the helpers and how the result becomes an
 * action. Kernel types carry the kernel's number ({@code enum bpf_prog_type}); BPFabric is ours.
 */
public enum ProgramType {
    SOCKET_FILTER(1), SCHED_CLS(3), SCHED_ACT(4), XDP(6), BPFABRIC(-1),
    /**
     * Not known from the object: a program in a section whose name names no type (e.g. the functions of a
     * {@code .text}-only object, as BPFabric writes them). The kernel's {@code BPF_PROG_TYPE_UNSPEC}, which it does
     * not load: the caller picks the type with {@link ProgramSpec#withType}.
     */
    UNSPEC(0);

    private final int kernelId;

    ProgramType(int kernelId) {
        this.kernelId = kernelId;
    }

    /** The kernel's number, or -1 for types only bpf4j runs. */
    public int kernelId() {
        return kernelId;
    }

    /**
     * The type libbpf infers from a SEC name: {@code xdp}, {@code xdp.frags}, {@code xdp/...} are XDP; {@code tc},
     * {@code classifier}, {@code tcx/ingress}, {@code tcx/egress} are TC; {@code action} is SCHED_ACT;
     * {@code socket} is a socket filter. Null when the section names none.
     */
    public static ProgramType ofSection(String section) {
        String s = section.toLowerCase(Locale.ROOT);
        String head = s.contains("/") ? s.substring(0, s.indexOf('/')) : s;
        return switch (head) {
            case "xdp", "xdp.frags" -> XDP;
            case "tc", "classifier", "tcx", "tc.ingress", "tc.egress" -> SCHED_CLS;
            case "action" -> SCHED_ACT;
            case "socket" -> SOCKET_FILTER;
            default -> null;
        };
    }
}
