package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The bpf_conformance suite's assembly: every test program assembles, every malformed one is rejected. */
class ConformanceSuiteTest {

    @TestFactory
    Stream<DynamicTest> everyTestProgramAssemblesAndSurvivesBothSyntaxes() {
        List<ConformanceFile> files = ConformanceFile.all("tests");
        assertTrue(files.size() >= 300, "the suite's tests/ holds its programs");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            assertNotNull(f.asm(), "every test has an asm section");
            long[] slots = Assembler.assembleToSlots(f.asm(), Syntax.CONFORMANCE);
            assertTrue(slots.length > 0);
            List<Instruction> program = InstructionCodec.decode(slots);
            for (Syntax syntax : Syntax.values()) {
                String text = program.stream().map(i -> Disassembler.format(i, syntax)).collect(Collectors.joining("\n"));
                assertArrayEquals(slots, Assembler.assembleToSlots(text, syntax), syntax + " text of " + f.name());
            }
        }));
    }

    @Test
    void theRawSectionEqualsOurAssembly() {
        List<ConformanceFile> withRaw = ConformanceFile.all("tests").stream().filter(ConformanceFile::hasRaw).toList();
        assertFalse(withRaw.isEmpty());
        for (ConformanceFile f : withRaw) {
            assertArrayEquals(f.raw(), Assembler.assembleToSlots(f.asm(), Syntax.CONFORMANCE), f.name());
        }
    }

    @Test
    void theSuiteIsRecognisedAsConformanceSyntax() {
        for (ConformanceFile f : ConformanceFile.all("tests")) {
            assertEquals(Syntax.CONFORMANCE, Syntax.detect(f.asm()), f.name());
        }
    }

    /** Each malformed file, the line of the asm section at fault and what the message says. */
    private static final Map<String, Expected> MALFORMED = Map.of(
            "invalid_imm32_dec_range.data", new Expected(2, "immediate 2147483648 out of 32-bit range"),
            "invalid_imm32_hex_range.data", new Expected(2, "immediate 0x100000000 out of 32-bit range"),
            "invalid_label.data", new Expected(1, "unknown label NOT_A_LABEL"),
            "invalid_lock.data", new Expected(1, "invalid number of operands for lock"),
            "invalid_lock2.data", new Expected(1, "invalid number of operands for lock"),
            "invalid_mnemonic.data", new Expected(2, "invalid mnemonic ldxq"),
            "invalid_offset.data", new Expected(1, "memory operand expected, e.g. [%r1+8]"),
            "invalid_offset_range.data", new Expected(2, "offset 0x10000 out of 16-bit range"),
            "invalid_operand_count.data", new Expected(1, "invalid number of operands for lddw"),
            "invalid_register.data", new Expected(1, "invalid register %r50"));

    private record Expected(int line, String message) {}

    @TestFactory
    Stream<DynamicTest> malformedNegativeProgramsAreRejectedWithAClearMessage() {
        return ConformanceFile.all("negative").stream()
                .filter(f -> f.name().startsWith("invalid_") && !f.name().equals("invalid_unknown_directive.data"))
                .map(f -> DynamicTest.dynamicTest(f.name(), () -> {
                    Expected expected = MALFORMED.get(f.name());
                    assertNotNull(expected, "a new negative file: say what it must be rejected with");
                    var e = assertThrows(AssemblyException.class, () -> Assembler.assemble(f.asm(), Syntax.CONFORMANCE));
                    assertEquals(expected.line(), e.line(), e.getMessage());
                    assertTrue(e.getMessage().startsWith("line " + expected.line() + ": " + expected.message()),
                            e.getMessage());
                }));
    }

    /**
     * Its {@code -- Unknown directive} line opens a section of that name, which carries no meaning like
     * {@code -- c}: the asm section before it is empty, and empty source assembles to an empty program.
     */
    @Test
    void theUnknownDirectiveFileHasAnEmptyAsmSection() {
        var f = ConformanceFile.read(ConformanceFile.suiteDir().resolve("negative/invalid_unknown_directive.data"));
        assertTrue(f.asm().isBlank());
        assertEquals(List.of(), Assembler.assemble(f.asm(), Syntax.CONFORMANCE));
    }

    @Test
    void negativeProgramsThatFailOnlyAtRunTimeAssemble() {
        for (String name : List.of("error.data", "incorrect_return_value_high_bits.data")) {
            var f = ConformanceFile.read(ConformanceFile.suiteDir().resolve("negative/" + name));
            assertEquals(2, Assembler.assemble(f.asm(), Syntax.CONFORMANCE).size(), name);
        }
    }
}
