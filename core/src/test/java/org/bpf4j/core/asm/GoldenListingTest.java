package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.regex.Pattern;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our listings against llvm-objdump-19's, and our LLVM-syntax assembler against llvm-mc-19's bytes. */
class GoldenListingTest {

    /**
     * Every line equals llvm-objdump's, except for the instructions LLVM prints ambiguously: there the address and
     * bytes are equal, LLVM's text is one of its known lossy forms and ours is the documented readable one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llvm-syntax", "encodings", "deviations", "unknown", "truncated"})
    void listingEqualsLlvmObjdumpLineByLine(String name) {
        Golden golden = new Golden(name);
        List<String> expected = golden.listing();
        List<String> actual = List.of(Disassembler.listing(golden.slots(), Syntax.LLVM).split("\n"));
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            String where = name + ".objdump, instruction line " + (i + 1);
            var llvm = Golden.Line.parse(expected.get(i));
            if (deviates(llvm)) {
                var ours = Golden.Line.parse(actual.get(i));
                assertEquals(llvm.address() + "\t" + llvm.bytes(), ours.address() + "\t" + ours.bytes(), where);
                assertTrue(LOSSY.matcher(llvm.text()).matches(), where + ": not a known lossy LLVM form: " + llvm.text());
                assertTrue(READABLE.matcher(ours.text()).matches(), where + ": " + ours.text());
            } else {
                assertEquals(expected.get(i), actual.get(i), where);
            }
        }
        assertEquals(expected.size(), actual.size(), name + ": number of lines");
    }

    private static boolean deviates(Golden.Line line) {
        if (line.bytes().length() < 23) {
            return false;
        }
        try {
            return GoldenSources.deviates(InstructionCodec.decode(line.slots()).getFirst());
        } catch (IllegalArgumentException undecodable) {
            return false;
        }
    }

    private static final Pattern LOSSY = Pattern.compile(
            "call -?0x[0-9a-f]+|ld_pseudo\tr\\d+, 0x[1-6], -?0x[0-9a-f]+|r0 = \\*\\(u(8|16|32) \\*\\)skb\\[r\\d+\\]");
    private static final Pattern READABLE = Pattern.compile(
            "call pc[+-]0x\\p{XDigit}+|call kfunc -?0x\\p{XDigit}+(, -?0x\\p{XDigit}+)?"
            + "|r\\d+ = (map_fd|map_value|btf_id|func|map_idx|map_idx_value)\\(.*\\) ll"
            + "|r0 = \\*\\(u\\d+ \\*\\)skb\\[r\\d+ [+-] 0x\\p{XDigit}+\\]");

    @Test
    void llvmSyntaxSourceAssemblesToTheBytesOfLlvmMc() {
        Golden golden = new Golden("llvm-syntax");
        assertArrayEquals(golden.slots(), Assembler.assembleToSlots(golden.source(), Syntax.LLVM));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llvm-syntax", "encodings"})
    void everyLineLlvmObjdumpPrintsAssemblesBackToItsBytes(String name) {
        for (String text : new Golden(name).listing()) {
            var line = Golden.Line.parse(text);
            if (deviates(line)) {
                continue;
            }
            assertArrayEquals(line.slots(), Assembler.assembleToSlots(line.instruction(), Syntax.LLVM), text);
        }
    }

    @Test
    void llvmLdPseudoTextAssemblesToItsLowHalf() {
        for (String text : new Golden("deviations").listing()) {
            var line = Golden.Line.parse(text);
            if (line.text().startsWith("ld_pseudo")) {
                long[] slots = line.slots();
                long[] ours = Assembler.assembleToSlots(line.text(), Syntax.LLVM);
                assertEquals(slots[0], ours[0], text);
                assertEquals(0, ours[1] >>> 32, "ld_pseudo carries no high half");
            }
        }
    }

    @Test
    void generatedGoldenSourcesAreUpToDate() {
        assertEquals(GoldenSources.encodings(), Golden.resource("encodings.s"),
                "encodings.s is stale: run core/src/test/resources/asm/regenerate.sh");
        assertEquals(GoldenSources.deviations(), Golden.resource("deviations.s"),
                "deviations.s is stale: run core/src/test/resources/asm/regenerate.sh");
    }

    @Test
    void goldenFilesComeFromLlvm19() {
        assertTrue(Golden.resource("llvm-version.txt").contains("LLVM version 19."));
    }
}
