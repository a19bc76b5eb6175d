package org.bpf4j.kernel.sys;

import org.bpf4j.core.api.Errno;
/**
 * A {@code bpf(2)} command (or another system call of the kernel backend) failed. Names the command, the errno's
 * name, number and message, and what was being done; for loads, {@link #log()} holds the verifier's (or the BTF
 * checker's) log. {@link #getMessage()} is one line.
 */
public class BpfSyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final int errno;
    private final String log;

    public BpfSyscallException(String command, int errno, String context, String log) {
        this(command, errno, context, log, null);
    }

    public BpfSyscallException(String command, int errno, String context, String log, String detail) {
        super(describe(command, errno, context, detail));
        this.command = command;
        this.errno = errno;
        this.log = log == null ? "" : log;
    }

    public BpfSyscallException(BpfCommand command, int errno, String context) {
        this(command.name(), errno, context, null);
    }

    private static String describe(String command, int errno, String context, String detail) {
        StringBuilder b = new StringBuilder(command);
        if (context != null && !context.isEmpty()) {
            b.append(" (").append(context).append(')');
        }
        b.append(" failed: ").append(Errno.name(errno)).append(" (errno ").append(errno).append(", ")
                .append(errno == Errno.ENOTSUPP ? "Unknown error 524 (the kernel's ENOTSUPP: not supported)" : Native.strerror(errno)).append(')');
        if (detail != null && !detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }

    /** The command, e.g. {@code BPF_PROG_LOAD}. */
    public String command() {
        return command;
    }

    /** The errno the kernel returned. */
    public int errno() {
        return errno;
    }

    /** {@link Errno#name} of {@link #errno()}, e.g. {@code ENOENT}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The kernel's log for loads (verifier, BTF), empty otherwise. */
    public String log() {
        return log;
    }
}
