package org.bpf4j.runtime;

/**
 * A program stopped by a fault: an access outside memory the program may touch, an unknown helper, a call
 * depth exceeded, a jump out of the program, an exhausted instruction budget. Carries the instruction index,
 * the disassembled instruction and, for memory faults, the address.
 */
public final class BpfFault extends RuntimeException {
    /** What went wrong. */
    public enum Kind {
        OUT_OF_BOUNDS, READ_ONLY, MISALIGNED, UNKNOWN_HELPER, CALL_DEPTH, JUMP_OUT, BUDGET_EXHAUSTED, HELPER_FAILED, INTERNAL
    }

    /** Marks an absent instruction index or address. */
    public static final long NONE = -1;

    private final Kind kind;
    private final String detail;
    private final int pc;
    private final String instruction;
    private final long address;

    public BpfFault(Kind kind, String detail, long address) {
        this(kind, detail, -1, null, address, null);
    }

    private BpfFault(Kind kind, String detail, int pc, String instruction, long address, Throwable cause) {
        super(message(detail, pc, instruction), cause, false, cause != null);
        this.kind = kind;
        this.detail = detail;
        this.pc = pc;
        this.instruction = instruction;
        this.address = address;
    }

    private static String message(String detail, int pc, String instruction) {
        if (pc < 0) {
            return detail;
        }
        return "fault at instruction " + pc + (instruction == null ? "" : " (" + instruction + ")") + ": " + detail;
    }

    /** The same fault, located at an instruction. */
    public BpfFault at(int pc, String instruction) {
        return new BpfFault(kind, detail, pc, instruction, address, getCause());
    }

    /** A helper threw: the cause is kept, the message says which helper. */
    public static BpfFault helperFailed(String helper, Throwable cause) {
        return new BpfFault(Kind.HELPER_FAILED, "helper " + helper + " failed: " + cause, -1, null, NONE, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** What went wrong, without the location. */
    public String detail() {
        return detail;
    }

    /** Index of the faulting instruction (8-byte slot), or -1. */
    public int pc() {
        return pc;
    }

    /** The faulting instruction, disassembled, or null. */
    public String instruction() {
        return instruction;
    }

    /** The faulting address for memory faults, else {@link #NONE}. */
    public long address() {
        return address;
    }
}
