package org.bpf4j.core.asm;

/** Source text that does not assemble, with the 1-based line it was found on and the reason. */
public final class AssemblyException extends IllegalArgumentException {
    private final int line;
    private final String reason;

    public AssemblyException(int line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based source line that is wrong. */
    public int line() {
        return line;
    }

    /** What is wrong, without the line number. */
    public String reason() {
        return reason;
    }
}
