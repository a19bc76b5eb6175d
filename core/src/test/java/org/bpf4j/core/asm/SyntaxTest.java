package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.stream.Collectors;
import org.bpf4j.core.isa.ValidInstructions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Syntax.detect tells the two syntaxes apart by their first deciding line. */
class SyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"mov %r0, 1\nexit", "# comment\n\nexit\nlddw %r0, 5", "start:\n  ja start",
        "call 1\nlock add [%r10-8], %r1", "ldxw %r0, [%r1]", ""})
    void mnemonicFirstOrPercentRegistersMeanConformance(String source) {
        assertEquals(Syntax.CONFORMANCE, Syntax.detect(source));
    }

    @ParameterizedTest
    @ValueSource(strings = {"r0 = 1\nexit", "exit\nw1 += w2", "call 1\nif r1 > r2 goto +3", "*(u32 *)(r10 - 8) = r1",
        "lock *(u64 *)(r10 - 0x8) += r1", "  .Lstart:  goto -1", "r1 s>>= 3", "w1 s/= 3", "callx r2",
        "# comment\nr1 = 0x1122334455667788 ll", "// comment\nr0 = *(u8 *)skb[0xc]"})
    void assignmentsConditionsAndStoresMeanLlvm(String source) {
        assertEquals(Syntax.LLVM, Syntax.detect(source));
    }

    @Test
    void everyFormattedProgramIsDetectedAsItsSyntax() {
        for (Syntax syntax : Syntax.values()) {
            String source = ValidInstructions.all().stream().map(i -> Disassembler.format(i, syntax))
                    .collect(Collectors.joining("\n"));
            assertEquals(syntax, Syntax.detect(source));
        }
        assertEquals(Syntax.LLVM, Syntax.detect(Golden.resource("llvm-syntax.s")));
    }
}
