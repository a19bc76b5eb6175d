package org.bpf4j.core.isa;

/**
 * One eBPF instruction, decoded: the closed set of instruction kinds of RFC 9669 and Linux, CPU versions
 * v1 to v4. Every record encodes to exactly the bytes it was decoded from ({@link InstructionCodec}).
 *
 * <p>Offsets of jumps and local calls are relative, in 8-byte slots, from the slot after the instruction,
 * exactly as encoded. {@link LoadImm64} is the only instruction that takes two slots.
 */
public sealed interface Instruction {

    /** Number of 8-byte slots the instruction occupies. */
    default int slots() {
        return 1;
    }

    /** {@code dst = dst op src} in 32 ({@code wide == false}) or 64 bits, neg and the sign-extending moves included. */
    record Alu(boolean wide, AluOp op, int dst, Operand src) implements Instruction {
        public Alu {
            Registers.check(dst);
            java.util.Objects.requireNonNull(op);
            if (op == AluOp.NEG && !(src instanceof Operand.Imm i && i.value() == 0)) {
                throw new IllegalArgumentException("neg takes no source: use Operand.imm(0)");
            }
            if (op.isSignExtendingMove() && !(src instanceof Operand.Reg)) {
                throw new IllegalArgumentException(op.mnemonic() + " takes a register");
            }
            if (op == AluOp.MOVSX32 && !wide) {
                throw new IllegalArgumentException("no 32-bit movsx32");
            }
        }
    }

    /** Byte order conversion: to little endian, to big endian, or unconditional swap (ALU64, v4). */
    record Endian(Kind kind, int width, int dst) implements Instruction {
        public enum Kind { TO_LE, TO_BE, BSWAP }

        public Endian {
            Registers.check(dst);
            if (width != 16 && width != 32 && width != 64) {
                throw new IllegalArgumentException("byte swap width must be 16, 32 or 64, not " + width);
            }
        }
    }

    /** {@code dst = *(size *)(src + offset)}, zero- or sign-extended ({@code MEM} and {@code MEMSX} modes). */
    record Load(Size size, boolean signExtend, int dst, int src, short offset) implements Instruction {
        public Load {
            Registers.check(dst);
            Registers.check(src);
            if (signExtend && size == Size.DW) {
                throw new IllegalArgumentException("no sign-extending 64-bit load");
            }
        }
    }

    /** {@code *(size *)(dst + offset) = value}: {@code ST} with an immediate, {@code STX} with a register. */
    record Store(Size size, int dst, short offset, Operand value) implements Instruction {
        public Store {
            Registers.check(dst);
        }
    }

    /** An atomic read-modify-write of 32 or 64 bits at {@code dst + offset}. */
    record Atomic(Size size, AtomicOp op, boolean fetch, int dst, int src, short offset) implements Instruction {
        public Atomic {
            Registers.check(dst);
            Registers.check(src);
            if (size != Size.W && size != Size.DW) {
                throw new IllegalArgumentException("atomic operations are 32 or 64 bit");
            }
            if (op.alwaysFetches() && !fetch) {
                throw new IllegalArgumentException(op.mnemonic() + " always fetches");
            }
        }
    }

    /** A conditional jump, comparing 64 bits ({@code JMP}) or the low 32 ({@code JMP32}). */
    record Branch(boolean jmp32, JumpOp op, int dst, Operand src, short offset) implements Instruction {
        public Branch {
            Registers.check(dst);
        }
    }

    /** Unconditional jump: {@code ja} with a 16-bit offset, or {@code gotol} ({@code JMP32 | JA}) with a 32-bit one. */
    record Goto(boolean wide, int offset) implements Instruction {
        public Goto {
            if (!wide && (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE)) {
                throw new IllegalArgumentException("ja offset " + offset + " needs the 32-bit form");
            }
        }
    }

    /**
     * A call by immediate: a helper by number, a local function at a relative slot offset, or a kernel function
     * by BTF id (whose offset field names the BTF object, 0 for vmlinux).
     */
    record Call(Kind kind, int imm, short offset) implements Instruction {
        public enum Kind { HELPER, LOCAL, KFUNC }

        public Call {
            if (kind != Kind.KFUNC && offset != 0) {
                throw new IllegalArgumentException("only kfunc calls carry an offset");
            }
        }

        public static Call helper(int id) {
            return new Call(Kind.HELPER, id, (short) 0);
        }

        public static Call local(int relative) {
            return new Call(Kind.LOCAL, relative, (short) 0);
        }
    }

    /** {@code callx}: a call through a register. */
    record CallReg(int reg) implements Instruction {
        public CallReg {
            Registers.check(reg);
        }
    }

    /** Return from a function, or from the program, with r0. */
    record Exit() implements Instruction {}

    /**
     * {@code lddw}: a 64-bit immediate, or with a pseudo source the reference the loader resolves (map fd,
     * map value, BTF id, function, map by index). For the map-value forms the high 32 bits hold the offset
     * into the value.
     */
    record LoadImm64(int dst, Pseudo pseudo, long imm) implements Instruction {
        public enum Pseudo {
            NONE(0), MAP_FD(Opcodes.PSEUDO_MAP_FD), MAP_VALUE(Opcodes.PSEUDO_MAP_VALUE), BTF_ID(Opcodes.PSEUDO_BTF_ID),
            FUNC(Opcodes.PSEUDO_FUNC), MAP_IDX(Opcodes.PSEUDO_MAP_IDX), MAP_IDX_VALUE(Opcodes.PSEUDO_MAP_IDX_VALUE);

            private final int code;

            Pseudo(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            public static Pseudo of(int src) {
                for (Pseudo p : values()) {
                    if (p.code == src) {
                        return p;
                    }
                }
                return null;
            }
        }

        public LoadImm64 {
            Registers.check(dst);
            java.util.Objects.requireNonNull(pseudo);
        }

        @Override
        public int slots() {
            return 2;
        }
    }

    /**
     * The legacy packet loads of classic BPF, {@code LD | ABS} and {@code LD | IND}: r0 = the big-endian
     * value at {@code imm} (or {@code src + imm}) in the socket buffer.
     */
    record LegacyLoad(Size size, boolean indirect, int src, int imm) implements Instruction {
        public LegacyLoad {
            Registers.check(src);
            if (size == Size.DW) {
                throw new IllegalArgumentException("legacy packet loads are 8, 16 or 32 bit");
            }
            if (!indirect && src != 0) {
                throw new IllegalArgumentException("LD_ABS has no source register");
            }
        }
    }
}
