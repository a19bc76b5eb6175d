package org.bpf4j.runtime;

/** A program refused at load: malformed code, a jump out of the program, an unknown helper, an unresolved reference. */
public final class LoadException extends RuntimeException {
    private final int index;

    public LoadException(int index, String reason) {
        super(index >= 0 ? "instruction " + index + ": " + reason : reason);
        this.index = index;
    }

    public LoadException(String reason, Throwable cause) {
        super(reason, cause);
        this.index = -1;
    }

    /** The offending instruction's slot, or -1. */
    public int index() {
        return index;
    }
}
