package org.bpf4j.core.isa;

import static org.bpf4j.core.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.isa.Instruction.*;

/**
 * Decodes raw slots into {@link Instruction}s and encodes them back; the two are exact inverses.
 *
 * <p>Decoding is strict, as Linux's verifier and RFC 9669 are: a field an instruction does not use must be zero,
 * and an unknown opcode, register, width or operation is rejected with the slot's index and the reason.
 */
public final class InstructionCodec {
    private InstructionCodec() {}

    /** Decodes a whole program; a {@code lddw} consumes two slots. */
    public static List<Instruction> decode(long[] slots) {
        List<Instruction> out = new ArrayList<>(slots.length);
        for (int i = 0; i < slots.length; ) {
            Instruction insn = decode(slots, i);
            out.add(insn);
            i += insn.slots();
        }
        return out;
    }

    public static List<Instruction> decode(byte[] code) {
        return decode(Slot.fromBytes(code));
    }

    /** Decodes the instruction starting at slot {@code index}. */
    public static Instruction decode(long[] slots, int index) {
        if (index < 0 || index >= slots.length) {
            throw new InvalidInstructionException(index, "no instruction at index " + index);
        }
        long s = slots[index];
        int op = Slot.opcode(s), dst = Slot.dst(s), src = Slot.src(s), imm = Slot.imm(s);
        short off = Slot.offset(s);
        var v = new Check(index, op);
        if (dst >= Registers.COUNT) {
            throw v.fail("destination register r" + dst + " does not exist");
        }
        if (src >= Registers.COUNT && !(op == LDDW || op == (CLASS_JMP | JMP_CALL))) {
            throw v.fail("source register r" + src + " does not exist");
        }
        return switch (Opcodes.cls(op)) {
            case CLASS_ALU, CLASS_ALU64 -> decodeAlu(v, op, dst, src, off, imm);
            case CLASS_JMP, CLASS_JMP32 -> decodeJump(v, op, dst, src, off, imm);
            case CLASS_LDX -> decodeLoad(v, op, dst, src, off, imm);
            case CLASS_ST, CLASS_STX -> decodeStore(v, op, dst, src, off, imm);
            default -> decodeLd(v, slots, op, dst, src, off, imm);
        };
    }

    private static Instruction decodeAlu(Check v, int op, int dst, int src, short off, int imm) {
        boolean wide = Opcodes.cls(op) == CLASS_ALU64;
        boolean x = (op & SRC_X) != 0;
        if ((op & 0xf0) == ALU_END) {
            v.zero("src", src).zero("offset", off);
            if (imm != 16 && imm != 32 && imm != 64) {
                throw v.fail("byte swap width must be 16, 32 or 64, not " + imm);
            }
            if (wide && x) {
                throw v.fail("unknown opcode (ALU64 | END | X)");
            }
            var kind = wide ? Endian.Kind.BSWAP : x ? Endian.Kind.TO_BE : Endian.Kind.TO_LE;
            return new Endian(kind, imm, dst);
        }
        AluOp alu = AluOp.of(op, off);
        if (alu == null) {
            if (AluOp.of(op, 0) == null) {
                throw v.fail("unknown ALU operation 0x" + Integer.toHexString(op & 0xf0));
            }
            throw v.fail("offset must be 0 for " + AluOp.of(op, 0).mnemonic() + ", not " + off);
        }
        if (alu.isSignExtendingMove() && (!x || (!wide && alu == AluOp.MOVSX32))) {
            throw v.fail("offset must be 0 for mov" + (x ? "32" : " with an immediate") + ", not " + off);
        }
        if (alu == AluOp.NEG) {
            if (x) {
                throw v.fail("neg takes no source register (use the K form)");
            }
            v.zero("src", src).zero("imm", imm);
            return new Alu(wide, alu, dst, new Operand.Imm(0));
        }
        if (x) {
            v.zero("imm", imm);
            return new Alu(wide, alu, dst, new Operand.Reg(src));
        }
        v.zero("src", src);
        return new Alu(wide, alu, dst, new Operand.Imm(imm));
    }

    private static Instruction decodeJump(Check v, int op, int dst, int src, short off, int imm) {
        boolean jmp32 = Opcodes.cls(op) == CLASS_JMP32;
        boolean x = (op & SRC_X) != 0;
        switch (op & 0xf0) {
            case JMP_JA -> {
                if (x) {
                    throw v.fail("unknown opcode (ja with the X source bit)");
                }
                v.zero("dst", dst).zero("src", src);
                if (jmp32) {
                    v.zero("offset", off);
                    return new Goto(true, imm);
                }
                v.zero("imm", imm);
                return new Goto(false, off);
            }
            case JMP_CALL -> {
                if (jmp32) {
                    throw v.fail("unknown opcode (JMP32 | CALL)");
                }
                v.zero("offset", x ? off : 0);
                if (x) {
                    // callx: Linux and LLVM put the register in dst.
                    v.zero("src", src).zero("imm", imm);
                    return new CallReg(dst);
                }
                v.zero("dst", dst);
                return switch (src) {
                    case CALL_HELPER -> {
                        v.zero("offset", off);
                        yield new Call(Call.Kind.HELPER, imm, (short) 0);
                    }
                    case CALL_LOCAL -> {
                        v.zero("offset", off);
                        yield new Call(Call.Kind.LOCAL, imm, (short) 0);
                    }
                    case CALL_KFUNC -> new Call(Call.Kind.KFUNC, imm, off);
                    default -> throw v.fail("call source must be 0 (helper), 1 (local) or 2 (kfunc), not " + src);
                };
            }
            case JMP_EXIT -> {
                if (jmp32 || x) {
                    throw v.fail("unknown opcode (exit is JMP | K only)");
                }
                v.zero("dst", dst).zero("src", src).zero("offset", off).zero("imm", imm);
                return new Exit();
            }
            default -> {
                JumpOp j = JumpOp.of(op);
                if (j == null) {
                    throw v.fail("unknown jump operation 0x" + Integer.toHexString(op & 0xf0));
                }
                if (x) {
                    v.zero("imm", imm);
                    return new Branch(jmp32, j, dst, new Operand.Reg(src), off);
                }
                v.zero("src", src);
                return new Branch(jmp32, j, dst, new Operand.Imm(imm), off);
            }
        }
    }

    private static Instruction decodeLoad(Check v, int op, int dst, int src, short off, int imm) {
        int mode = op & 0xe0;
        Size size = Size.ofCode(op);
        if (mode != MODE_MEM && mode != MODE_MEMSX) {
            throw v.fail("unknown LDX mode 0x" + Integer.toHexString(mode));
        }
        if (mode == MODE_MEMSX && size == Size.DW) {
            throw v.fail("unknown opcode (no sign-extending 64-bit load)");
        }
        v.zero("imm", imm);
        return new Load(size, mode == MODE_MEMSX, dst, src, off);
    }

    private static Instruction decodeStore(Check v, int op, int dst, int src, short off, int imm) {
        int mode = op & 0xe0;
        Size size = Size.ofCode(op);
        boolean stx = Opcodes.cls(op) == CLASS_STX;
        if (stx && mode == MODE_ATOMIC) {
            if (size != Size.W && size != Size.DW) {
                throw v.fail("atomic operations are 32 or 64 bit");
            }
            AtomicOp a = AtomicOp.of(imm);
            if (a == null) {
                throw v.fail("unknown atomic operation 0x" + Integer.toHexString(imm));
            }
            return new Atomic(size, a, (imm & ATOMIC_FETCH) != 0, dst, src, off);
        }
        if (mode != MODE_MEM) {
            throw v.fail("unknown " + (stx ? "STX" : "ST") + " mode 0x" + Integer.toHexString(mode));
        }
        if (stx) {
            v.zero("imm", imm);
            return new Store(size, dst, off, new Operand.Reg(src));
        }
        v.zero("src", src);
        return new Store(size, dst, off, new Operand.Imm(imm));
    }

    private static Instruction decodeLd(Check v, long[] slots, int op, int dst, int src, short off, int imm) {
        int mode = op & 0xe0;
        Size size = Size.ofCode(op);
        if (op == LDDW) {
            if (v.index + 1 >= slots.length) {
                throw v.fail("lddw needs a second slot, but the program ends");
            }
            long next = slots[v.index + 1];
            if ((next & 0xffff_ffffL) != 0) {
                throw new InvalidInstructionException(v.index + 1,
                        "second slot of lddw must have opcode, registers and offset 0 (" + Slot.hex(next) + ")");
            }
            v.zero("offset", off);
            var pseudo = LoadImm64.Pseudo.of(src);
            if (pseudo == null) {
                throw v.fail("lddw source must be 0 to 6, not " + src);
            }
            return new LoadImm64(dst, pseudo, (imm & 0xffff_ffffL) | (long) Slot.imm(next) << 32);
        }
        if ((mode == MODE_ABS || mode == MODE_IND) && size != Size.DW) {
            v.zero("dst", dst).zero("offset", off);
            if (mode == MODE_ABS) {
                v.zero("src", src);
            }
            return new LegacyLoad(size, mode == MODE_IND, src, imm);
        }
        throw v.fail("unknown opcode");
    }

    /** Encodes one instruction into one slot, or two for {@code lddw}. */
    public static long[] encode(Instruction insn) {
        return switch (insn) {
            case Alu a -> {
                int cls = a.wide() ? CLASS_ALU64 : CLASS_ALU;
                yield switch (a.src()) {
                    case Operand.Reg r -> one(cls | SRC_X | a.op().code(), a.dst(), r.reg(), a.op().offset(), 0);
                    case Operand.Imm i -> one(cls | SRC_K | a.op().code(), a.dst(), 0, a.op().offset(), i.value());
                };
            }
            case Endian e -> switch (e.kind()) {
                case TO_LE -> one(CLASS_ALU | ALU_END | SRC_K, e.dst(), 0, 0, e.width());
                case TO_BE -> one(CLASS_ALU | ALU_END | SRC_X, e.dst(), 0, 0, e.width());
                case BSWAP -> one(CLASS_ALU64 | ALU_END | SRC_K, e.dst(), 0, 0, e.width());
            };
            case Load l -> one(CLASS_LDX | (l.signExtend() ? MODE_MEMSX : MODE_MEM) | l.size().code(),
                    l.dst(), l.src(), l.offset(), 0);
            case Store s -> switch (s.value()) {
                case Operand.Reg r -> one(CLASS_STX | MODE_MEM | s.size().code(), s.dst(), r.reg(), s.offset(), 0);
                case Operand.Imm i -> one(CLASS_ST | MODE_MEM | s.size().code(), s.dst(), 0, s.offset(), i.value());
            };
            case Atomic a -> one(CLASS_STX | MODE_ATOMIC | a.size().code(), a.dst(), a.src(), a.offset(),
                    a.op().code() | (a.fetch() ? ATOMIC_FETCH : 0));
            case Branch b -> {
                int cls = b.jmp32() ? CLASS_JMP32 : CLASS_JMP;
                yield switch (b.src()) {
                    case Operand.Reg r -> one(cls | SRC_X | b.op().code(), b.dst(), r.reg(), b.offset(), 0);
                    case Operand.Imm i -> one(cls | SRC_K | b.op().code(), b.dst(), 0, b.offset(), i.value());
                };
            }
            case Goto g -> g.wide() ? one(CLASS_JMP32 | JMP_JA, 0, 0, 0, g.offset())
                    : one(CLASS_JMP | JMP_JA, 0, 0, g.offset(), 0);
            case Call c -> one(CLASS_JMP | JMP_CALL, 0, switch (c.kind()) {
                case HELPER -> CALL_HELPER;
                case LOCAL -> CALL_LOCAL;
                case KFUNC -> CALL_KFUNC;
            }, c.offset(), c.imm());
            case CallReg c -> one(CLASS_JMP | JMP_CALL | SRC_X, c.reg(), 0, 0, 0);
            case Exit e -> one(CLASS_JMP | JMP_EXIT, 0, 0, 0, 0);
            case LoadImm64 l -> new long[] {
                Slot.of(LDDW, l.dst(), l.pseudo().code(), 0, (int) l.imm()),
                Slot.of(0, 0, 0, 0, (int) (l.imm() >>> 32))
            };
            case LegacyLoad l -> one(CLASS_LD | (l.indirect() ? MODE_IND : MODE_ABS) | l.size().code(), 0, l.src(), 0,
                    l.imm());
        };
    }

    /** Encodes a program. */
    public static long[] encode(List<? extends Instruction> program) {
        int n = 0;
        for (Instruction i : program) {
            n += i.slots();
        }
        long[] out = new long[n];
        int at = 0;
        for (Instruction i : program) {
            long[] s = encode(i);
            System.arraycopy(s, 0, out, at, s.length);
            at += s.length;
        }
        return out;
    }

    private static long[] one(int opcode, int dst, int src, int offset, int imm) {
        return new long[] {Slot.of(opcode, dst, src, offset, imm)};
    }

    /** Field checks of one slot, failing with its index and opcode. */
    private record Check(int index, int opcode) {
        Check zero(String field, int value) {
            if (value != 0) {
                throw fail(field + " must be 0, not " + value);
            }
            return this;
        }

        InvalidInstructionException fail(String reason) {
            return new InvalidInstructionException(index, reason + " (opcode 0x" + String.format("%02x", opcode) + ")");
        }
    }
}
