package org.bpf4j.core.isa;

/** An encoding that is no valid eBPF instruction, with the index of the slot and the reason. */
public final class InvalidInstructionException extends IllegalArgumentException {
    private final int index;
    private final String reason;

    public InvalidInstructionException(int index, String reason) {
        super("instruction " + index + ": " + reason);
        this.index = index;
        this.reason = reason;
    }

    /** Index of the offending 8-byte slot. */
    public int index() {
        return index;
    }

    public String reason() {
        return reason;
    }
}
