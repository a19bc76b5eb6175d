package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionArbitraries;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.ValidInstructions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Text to bytes to text, and bytes to text to bytes, over every valid instruction, in both syntaxes. */
class RoundTripTest {

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void everyValidInstructionSurvivesBytesToTextToBytes(Syntax syntax) {
        List<Instruction> all = ValidInstructions.all();
        assertTrue(all.size() > 2000, "the generator covers every variant");
        for (Instruction insn : all) {
            long[] bytes = InstructionCodec.encode(insn);
            String text = Disassembler.format(InstructionCodec.decode(bytes).getFirst(), syntax);
            assertArrayEquals(bytes, Assembler.assembleToSlots(text, syntax), text);
        }
    }

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void everyValidInstructionSurvivesTextToBytesToText(Syntax syntax) {
        for (Instruction insn : ValidInstructions.all()) {
            String text = Disassembler.format(insn, syntax);
            List<Instruction> assembled = Assembler.assemble(text, syntax);
            assertEquals(List.of(insn), assembled, text);
            assertEquals(text, Disassembler.format(assembled.getFirst(), syntax));
        }
    }

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void aWholeProgramOfEveryInstructionSurvivesItsListing(Syntax syntax) {
        List<Instruction> program = ValidInstructions.all();
        String source = program.stream().map(i -> Disassembler.format(i, syntax)).collect(Collectors.joining("\n"));
        assertEquals(program, Assembler.assemble(source, syntax));
        long[] slots = InstructionCodec.encode(program);
        assertArrayEquals(slots, Assembler.assembleToSlots(source, syntax));
    }

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void textInTheOtherSyntaxTranslatesToTheSameBytes(Syntax syntax) {
        Syntax other = syntax == Syntax.LLVM ? Syntax.CONFORMANCE : Syntax.LLVM;
        for (Instruction insn : ValidInstructions.all()) {
            String text = Disassembler.format(insn, syntax);
            String translated = Disassembler.format(Assembler.assemble(text, syntax).getFirst(), other);
            assertArrayEquals(InstructionCodec.encode(insn), Assembler.assembleToSlots(translated, other), translated);
        }
    }

    @Property(tries = 3000)
    void randomInstructionsRoundTripInBothSyntaxes(@ForAll("instructions") Instruction insn) {
        long[] bytes = InstructionCodec.encode(insn);
        for (Syntax syntax : Syntax.values()) {
            String text = Disassembler.format(insn, syntax);
            assertEquals(List.of(insn), Assembler.assemble(text, syntax), text);
            assertArrayEquals(bytes, Assembler.assembleToSlots(text, syntax), text);
            assertEquals(text, Disassembler.format(InstructionCodec.decode(bytes).getFirst(), syntax));
        }
    }

    @Property(tries = 300)
    void randomProgramsRoundTripThroughTheirText(@ForAll("programs") List<Instruction> program) {
        long[] slots = InstructionCodec.encode(program);
        for (Syntax syntax : Syntax.values()) {
            String source = InstructionCodec.decode(slots).stream().map(i -> Disassembler.format(i, syntax))
                    .collect(Collectors.joining("\n"));
            assertArrayEquals(slots, Assembler.assembleToSlots(source, syntax));
        }
    }

    @Provide
    Arbitrary<Instruction> instructions() {
        return InstructionArbitraries.instructions();
    }

    @Provide
    Arbitrary<List<Instruction>> programs() {
        return InstructionArbitraries.instructions().list().ofMinSize(1).ofMaxSize(40);
    }

    @ParameterizedTest
    @EnumSource(Syntax.class)
    void hexDecimalAndLabelledSourcesReassembleFromTheirCanonicalText(Syntax syntax) {
        String source = syntax == Syntax.CONFORMANCE ? """
                mov %r0, 0x10
                start:
                lddw %r1, 18446744073709551615
                jne %r0, 0x7fffffff, end   # a comment
                ja32 start
                call local end
                stxdw [%r10-0x8], %r1
                end: exit
                """ : """
                r0 = 16
                .Lstart:
                r1 = 18446744073709551615 ll
                if r0 != 2147483647 goto .Lend  // a comment
                gotol .Lstart
                call .Lend
                *(u64 *)(r10 - 8) = r1
                .Lend: exit
                """;
        long[] slots = Assembler.assembleToSlots(source, syntax);
        String canonical = InstructionCodec.decode(slots).stream().map(i -> Disassembler.format(i, syntax))
                .collect(Collectors.joining("\n"));
        assertArrayEquals(slots, Assembler.assembleToSlots(canonical, syntax));
        // Targets resolve to the slot of the label, lddw counting two.
        var insns = Assembler.assemble(source, syntax);
        assertEquals(new Instruction.Branch(false, org.bpf4j.core.isa.JumpOp.JNE, 0,
                org.bpf4j.core.isa.Operand.imm(Integer.MAX_VALUE), (short) 3), insns.get(2));
        assertEquals(new Instruction.Goto(true, -4), insns.get(3));
        assertEquals(Instruction.Call.local(1), insns.get(4));
    }
}
