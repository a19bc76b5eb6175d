package org.bpf4j.core.isa;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bpf4j.core.asm.ConformanceFile;
import org.bpf4j.core.isa.Instruction.*;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Decoding and encoding are exact inverses over valid encodings, and every invalid encoding is rejected. */
class InstructionCodecTest {

    /** A program prefix of three slots (a mov and a lddw), so that the instruction under test sits at index 3. */
    private static final long[] PREFIX = InstructionCodec.encode(List.of(
            new Alu(true, AluOp.MOV, 0, Operand.imm(1)), new LoadImm64(1, LoadImm64.Pseudo.NONE, -1)));

    @Test
    void decodeInvertsEncodeForEveryValidInstruction() {
        List<Instruction> all = ValidInstructions.all();
        for (Instruction insn : all) {
            long[] slots = InstructionCodec.encode(insn);
            assertEquals(insn.slots(), slots.length);
            assertEquals(List.of(insn), InstructionCodec.decode(slots), insn.toString());
        }
        assertEquals(all, InstructionCodec.decode(InstructionCodec.encode(all)));
    }

    @Property(tries = 5000)
    void decodeInvertsEncodeForRandomValidInstructions(@ForAll("instructions") Instruction insn) {
        long[] slots = InstructionCodec.encode(insn);
        assertEquals(List.of(insn), InstructionCodec.decode(slots));
        assertArrayEquals(slots, InstructionCodec.encode(InstructionCodec.decode(slots)));
    }

    @Provide
    Arbitrary<Instruction> instructions() {
        return InstructionArbitraries.instructions();
    }

    /**
     * Over every opcode and a grid of register, offset and immediate values: whatever decodes encodes back to the
     * very same bytes, and whatever does not is rejected with the index of its slot.
     */
    @Test
    void encodeInvertsDecodeOverEveryOpcodeAndFieldPattern() {
        int[] regs = {0, 1, 10, 11, 15};
        short[] offsets = {0, 1, -1, 8, 16, 32, 0x7fff};
        int[] imms = {0, 1, -1, 16, 32, 64, 8, 0x01, 0xe1, 0xf1, 0x51, 0x10, 0xe0};
        int decoded = 0;
        for (int op = 0; op < 256; op++) {
            for (int dst : regs) {
                for (int src : regs) {
                    for (short off : offsets) {
                        for (int imm : imms) {
                            long slot = Slot.of(op, dst, src, off, imm);
                            // lddw gets a valid second slot (high half 7); other opcodes stand alone.
                            long[] program = op == Opcodes.LDDW ? concat(PREFIX, slot, Slot.of(0, 0, 0, 0, 7))
                                    : concat(PREFIX, slot);
                            try {
                                List<Instruction> insns = InstructionCodec.decode(program);
                                assertArrayEquals(program, InstructionCodec.encode(insns));
                                decoded++;
                            } catch (InvalidInstructionException e) {
                                assertEquals(PREFIX.length, e.index(), e.getMessage());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(decoded > 10_000, "the grid reaches valid encodings: " + decoded);
    }

    /** The opcodes RFC 9669 (with Linux's v4 additions) defines, written out independently of the codec. */
    private static Set<Integer> specifiedOpcodes() {
        Set<Integer> ops = new HashSet<>();
        for (int cls : new int[] {0x04, 0x07}) { // ALU, ALU64
            for (int op = 0x00; op <= 0xc0; op += 0x10) {
                ops.add(cls | op);
                if (op != 0x80) { // neg has no X form
                    ops.add(cls | op | 0x08);
                }
            }
        }
        ops.addAll(List.of(0xd4, 0xdc, 0xd7)); // le, be, bswap
        for (int op : new int[] {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0}) {
            for (int cls : new int[] {0x05, 0x06}) { // JMP, JMP32
                ops.add(cls | op);
                ops.add(cls | op | 0x08);
            }
        }
        ops.addAll(List.of(0x05, 0x06, 0x85, 0x8d, 0x95)); // ja, gotol, call, callx, exit
        for (int size : new int[] {0x00, 0x08, 0x10, 0x18}) {
            ops.add(0x61 | size); // LDX MEM
            ops.add(0x62 | size); // ST MEM
            ops.add(0x63 | size); // STX MEM
            if (size != 0x18) {
                ops.add(0x81 | size); // LDX MEMSX
                ops.add(0x20 | size); // LD ABS
                ops.add(0x40 | size); // LD IND
            }
        }
        ops.addAll(List.of(0xc3, 0xdb, 0x18)); // STX ATOMIC W and DW, lddw
        return ops;
    }

    @Test
    void exactlyTheSpecifiedOpcodesDecode() {
        Set<Integer> specified = specifiedOpcodes();
        int[] regs = {0, 1, 10};
        int[] imms = {0, 1, 16, 32, 64, 0x01, 0xe1, 0xf1, 0x41};
        short[] offsets = {0, 1, 8, 16, 32};
        for (int op = 0; op < 256; op++) {
            boolean decodes = false;
            for (int dst : regs) {
                for (int src : regs) {
                    for (int imm : imms) {
                        for (short off : offsets) {
                            try {
                                InstructionCodec.decode(new long[] {Slot.of(op, dst, src, off, imm), 0}, 0);
                                decodes = true;
                            } catch (InvalidInstructionException e) {
                                assertEquals(0, e.index());
                            }
                        }
                    }
                }
            }
            assertEquals(specified.contains(op), decodes, String.format("opcode 0x%02x", op));
        }
    }

    /** The fields an instruction does not use, which must be zero (RFC 9669, Linux's verifier). */
    private static List<String> unusedFields(Instruction insn) {
        return switch (insn) {
            case Alu a when a.op() == AluOp.NEG -> List.of("src", "imm", "offset");
            case Alu a -> Stream.of(a.src() instanceof Operand.Reg ? "imm" : "src", a.op().offset() == 0
                    && a.op() != AluOp.DIV && a.op() != AluOp.MOD && a.op() != AluOp.MOV ? "offset" : null)
                    .filter(f -> f != null).toList();
            case Endian e -> List.of("src", "offset");
            case Load l -> List.of("imm");
            case Store s -> List.of(s.value() instanceof Operand.Reg ? "imm" : "src");
            case Atomic a -> List.of();
            case Branch b -> List.of(b.src() instanceof Operand.Reg ? "imm" : "src");
            case Goto g -> List.of("dst", "src", g.wide() ? "offset" : "imm");
            case Call c -> c.kind() == Call.Kind.KFUNC ? List.of("dst") : List.of("dst", "offset");
            case CallReg c -> List.of("src", "imm", "offset");
            case Exit e -> List.of("dst", "src", "offset", "imm");
            case LoadImm64 l -> List.of("offset");
            case LegacyLoad l -> l.indirect() ? List.of("dst", "offset") : List.of("dst", "src", "offset");
        };
    }

    private static long with(long slot, String field, int value) {
        int op = Slot.opcode(slot), dst = Slot.dst(slot), src = Slot.src(slot), imm = Slot.imm(slot);
        short off = Slot.offset(slot);
        return switch (field) {
            case "opcode" -> Slot.of(value, dst, src, off, imm);
            case "dst" -> Slot.of(op, value, src, off, imm);
            case "src" -> Slot.of(op, dst, value, off, imm);
            case "offset" -> Slot.of(op, dst, src, value, imm);
            default -> Slot.of(op, dst, src, off, value);
        };
    }

    private static void assertRejectedAt(int index, long[] program, String what) {
        var e = assertThrows(InvalidInstructionException.class, () -> InstructionCodec.decode(program), what);
        assertEquals(index, e.index(), what + ": " + e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> eachUnusedFieldSetNonZeroIsRejectedAtItsIndex() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Instruction insn : ValidInstructions.representatives()) {
            long[] slots = InstructionCodec.encode(insn);
            for (String field : unusedFields(insn)) {
                for (int value : new int[] {1, 5}) {
                    long[] bad = slots.clone();
                    bad[0] = with(bad[0], field, value);
                    tests.add(DynamicTest.dynamicTest(insn + " with " + field + " " + value,
                            () -> assertRejectedAt(PREFIX.length, concat(PREFIX, bad), field)));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void constrainedFieldsAcceptOnlyTheirValues() {
        int at = PREFIX.length;
        // ALU offsets select sdiv, smod and movsx; any other is reserved.
        for (AluOp op : List.of(AluOp.DIV, AluOp.MOD, AluOp.MOV)) {
            long slot = InstructionCodec.encode(new Alu(true, op, 1, Operand.reg(2)))[0];
            assertRejectedAt(at, concat(PREFIX, with(slot, "offset", 2)), op + " offset 2");
        }
        long movImm = InstructionCodec.encode(new Alu(true, AluOp.MOV, 1, Operand.imm(5)))[0];
        assertRejectedAt(at, concat(PREFIX, with(movImm, "offset", 8)), "movsx has no immediate form");
        long mov32 = InstructionCodec.encode(new Alu(false, AluOp.MOV, 1, Operand.reg(2)))[0];
        assertRejectedAt(at, concat(PREFIX, with(mov32, "offset", 32)), "no 32-bit movsx32");
        long be = InstructionCodec.encode(new Endian(Endian.Kind.TO_BE, 16, 1))[0];
        assertRejectedAt(at, concat(PREFIX, with(be, "imm", 8)), "byte swap width 8");
        long atomic = InstructionCodec.encode(new Atomic(Size.DW, AtomicOp.ADD, false, 1, 2, (short) 0))[0];
        for (int imm : new int[] {0x10, 0xe0, 0xf0, 0x02, 0x100}) {
            assertRejectedAt(at, concat(PREFIX, with(atomic, "imm", imm)), "atomic imm " + imm);
        }
        long call = InstructionCodec.encode(Call.helper(1))[0];
        assertRejectedAt(at, concat(PREFIX, with(call, "src", 3)), "call source 3");
        long lddw = InstructionCodec.encode(new LoadImm64(1, LoadImm64.Pseudo.NONE, 0))[0];
        assertRejectedAt(at, concat(PREFIX, with(lddw, "src", 7), 0), "lddw source 7");
    }

    @Test
    void registersElevenToFifteenAreRejectedInEveryInstruction() {
        for (Instruction insn : ValidInstructions.representatives()) {
            long[] slots = InstructionCodec.encode(insn);
            for (String field : List.of("dst", "src")) {
                for (int reg = 11; reg <= 15; reg++) {
                    long[] bad = slots.clone();
                    bad[0] = with(bad[0], field, reg);
                    assertRejectedAt(PREFIX.length, concat(PREFIX, bad), insn + " with " + field + " r" + reg);
                }
            }
        }
    }

    @Test
    void lddwWithoutItsSecondSlotIsRejected() {
        long first = InstructionCodec.encode(new LoadImm64(2, LoadImm64.Pseudo.NONE, 0x1122334455667788L))[0];
        assertRejectedAt(PREFIX.length, concat(PREFIX, first), "lddw at the end");
    }

    @Test
    void lddwWithABadSecondSlotIsRejectedAtTheSecondSlot() {
        long[] lddw = InstructionCodec.encode(new LoadImm64(2, LoadImm64.Pseudo.MAP_FD, 3));
        for (String field : List.of("opcode", "dst", "src", "offset")) {
            long[] bad = lddw.clone();
            bad[1] = with(bad[1], field, field.equals("opcode") ? 0x18 : 1);
            assertRejectedAt(PREFIX.length + 1, concat(PREFIX, bad), "second slot with " + field);
        }
    }

    @Test
    void aProgramThatIsNoWholeNumberOfSlotsIsRejected() {
        var e = assertThrows(InvalidInstructionException.class, () -> InstructionCodec.decode(new byte[12]));
        assertEquals(1, e.index());
    }

    @TestFactory
    Stream<DynamicTest> everyUnusedFieldProgramOfTheSuiteIsRejected() {
        List<ConformanceFile> files = ConformanceFile.all("negative").stream()
                .filter(f -> f.name().startsWith("unused-")).toList();
        assertTrue(files.size() >= 40);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            // Each puts the faulty instruction first and a valid exit after it.
            assertRejectedAt(0, f.raw(), f.name());
            assertEquals(List.of(new Exit()), InstructionCodec.decode(new long[] {f.raw()[1]}));
        }));
    }

    private static long[] concat(long[] head, long... tail) {
        long[] out = new long[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
