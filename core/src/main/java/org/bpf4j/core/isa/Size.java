package org.bpf4j.core.isa;

/** Width of a memory access, with its encoding in the size field of load and store opcodes. */
public enum Size {
    B(1, Opcodes.SIZE_B, "u8"),
    H(2, Opcodes.SIZE_H, "u16"),
    W(4, Opcodes.SIZE_W, "u32"),
    DW(8, Opcodes.SIZE_DW, "u64");

    private final int bytes;
    private final int code;
    private final String cType;

    Size(int bytes, int code, String cType) {
        this.bytes = bytes;
        this.code = code;
        this.cType = cType;
    }

    public int bytes() {
        return bytes;
    }

    /** The size bits of an opcode ({@code 0x18} mask). */
    public int code() {
        return code;
    }

    /** The C type LLVM prints for it, e.g. {@code u16} in {@code *(u16 *)(r1 + 12)}. */
    public String cType() {
        return cType;
    }

    public static Size ofCode(int opcode) {
        return switch (opcode & 0x18) {
            case Opcodes.SIZE_B -> B;
            case Opcodes.SIZE_H -> H;
            case Opcodes.SIZE_W -> W;
            default -> DW;
        };
    }

    public static Size ofBytes(int bytes) {
        return switch (bytes) {
            case 1 -> B;
            case 2 -> H;
            case 4 -> W;
            case 8 -> DW;
            default -> throw new IllegalArgumentException("no access size of " + bytes + " bytes");
        };
    }
}
