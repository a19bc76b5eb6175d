package org.bpf4j.core.asm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bpf4j.core.isa.InstructionArbitraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad source text fails with an AssemblyException naming the line and the fault, and with nothing else. */
class AssemblerErrorTest {

    private static void assertRejected(String source, Syntax syntax, int line, String message) {
        var e = assertThrows(AssemblyException.class, () -> Assembler.assemble(source, syntax), source);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals("line " + line + ": " + message, e.getMessage());
        assertEquals(message, e.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            mov %r0, 1\\nexit\\nor %r0, %r50           | 3 | invalid register %r50
            ldxq %r0, %r1                             | 1 | invalid mnemonic ldxq
            lock or [%r10-8]                          | 1 | invalid number of operands for lock
            lock                                      | 1 | invalid number of operands for lock
            exit\\nja NOT_A_LABEL                     | 2 | unknown label NOT_A_LABEL
            ldxb %r0, [%r1+0x10000]                   | 1 | offset 0x10000 out of 16-bit range
            stw [%r10-32769], 1                       | 1 | offset -32769 out of 16-bit range
            mov32 %r0, 2147483648                     | 1 | immediate 2147483648 out of 32-bit range
            mov %r0, 0x100000000                      | 1 | immediate 0x100000000 out of 32-bit range
            mov %r0, -2147483649                      | 1 | immediate -2147483649 out of 32-bit range
            lddw %r0, 0x10000000000000000             | 1 | immediate 0x10000000000000000 out of 64-bit range
            lddw %r0                                  | 1 | invalid number of operands for lddw
            mov %r0, 1, 2                             | 1 | invalid number of operands for mov
            exit %r0                                  | 1 | invalid number of operands for exit
            mov %r0, foo                              | 1 | register or immediate expected, not foo
            mov %r0, 12abc                            | 1 | invalid number 12abc
            mov r0, 1                                 | 1 | register expected, e.g. %r1, not r0
            add32 %r11, 1                             | 1 | invalid register %r11
            ja +32768                                 | 1 | jump offset +32768 out of 16-bit range
            ja32 +2147483648                          | 1 | jump offset +2147483648 out of 32-bit range
            jeq %r0, 1, [%r1]                         | 1 | invalid jump target [%r1]
            lock sub [%r10-8], %r1                    | 1 | invalid atomic operation sub
            lock fetch                                | 1 | invalid number of operands for lock
            call                                      | 1 | invalid number of operands for call
            call foo                                  | 1 | call expects a helper number, local LABEL, kfunc N or a register, not foo
            call local nowhere                        | 1 | unknown label nowhere
            lddw %r1, map_fdx(3)                      | 1 | unknown lddw source map_fdx (map_fd, map_value, btf_id, func, map_idx, map_idx_value)
            movsx3232 %r1, %r2                        | 1 | invalid mnemonic movsx3232
            ldxsdw %r1, [%r2]                         | 1 | invalid mnemonic ldxsdw
            a:\\nexit\\na:                            | 3 | duplicate label a (first on line 1)
            ldxw %r1, [%r2*4]                         | 1 | invalid register %r2*4
            """)
    void conformanceSyntaxErrorsNameTheLineAndTheFault(String source, int line, String message) {
        assertRejected(source.replace("\\n", "\n"), Syntax.CONFORMANCE, line, message);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = ";;", textBlock = """
            r0 = 1\\nr50 = 1                          ;; 2 ;; invalid register r50
            w1 += r2                                  ;; 1 ;; register r2 must be named w2 here
            if r1 > w2 goto +1                        ;; 1 ;; register w2 must be named r2 here
            r1 = 0x1122334455667788                   ;; 1 ;; immediate 0x1122334455667788 out of 32-bit range
            w1 = 5 ll                                 ;; 1 ;; a 64-bit immediate load needs r1, not w1
            r3 = *(u16 *)(r1 + 0x10000)               ;; 1 ;; offset 0x10000 out of 16-bit range
            r3 = *(u16 *)(r1 + 12                     ;; 1 ;; expected ')', not end of line
            r3 = *(u128 *)(r1 + 12)                   ;; 1 ;; access type u8, u16, u32 or u64 expected, not 'u128'
            *(s8 *)(r1 + 0) = 1                       ;; 1 ;; signed access type s8 is only for loads
            goto +32768                               ;; 1 ;; jump offset +32768 out of 16-bit range
            goto nowhere                              ;; 1 ;; unknown label nowhere
            r0 = -r1                                  ;; 1 ;; r1 must be the destination register r0
            r0 = be16 r1                              ;; 1 ;; r1 must be the destination register r0
            r1 = xchg_64(r10 - 8, r2)                 ;; 1 ;; r2 must be the destination register r1
            r1 = cmpxchg_64(r10 - 8, r0, r2)          ;; 1 ;; cmpxchg returns its old value in r0, not r1
            lock *(u8 *)(r10 - 8) += r1               ;; 1 ;; atomic operations are u32 or u64, not u8
            lock *(u64 *)(r10 - 8) -= r1              ;; 1 ;; atomic operator +=, |=, &= or ^= expected, not '-='
            r1 = *(u8 *)skb[12]                       ;; 1 ;; legacy packet loads are r0 = *(u8|u16|u32 *)skb[...]
            r1 @ 2                                    ;; 1 ;; unexpected character '@'
            mov r0, 1                                 ;; 1 ;; invalid instruction mov
            r1 = 1 2                                  ;; 1 ;; unexpected '2' at end of instruction
            if r1 ~ 2 goto +1                         ;; 1 ;; unexpected character '~'
            if r1 s 2 goto +1                         ;; 1 ;; invalid comparison s2
            .text                                     ;; 1 ;; invalid instruction .text
            w1 = (s32)w2                              ;; 1 ;; (s32) needs r1, not w1
            ld_pseudo r1, 7, 3                        ;; 1 ;; invalid pseudo source 7 (0 to 6)
            """)
    void llvmSyntaxErrorsNameTheLineAndTheFault(String source, int line, String message) {
        assertRejected(source.replace("\\n", "\n"), Syntax.LLVM, line, message);
    }

    @Test
    void aLabelBeyondTheOffsetFieldIsRejectedButReachableWithGotol() {
        String body = "exit\n".repeat(40_000) + "end: exit\n";
        assertRejected("ja end\n" + body, Syntax.CONFORMANCE, 1, "jump to end (40000) out of 16-bit range");
        assertRejected("goto end\n" + body, Syntax.LLVM, 1, "jump to end (40000) out of 16-bit range");
        assertEquals(new org.bpf4j.core.isa.Instruction.Goto(true, 40_000),
                Assembler.assemble("ja32 end\n" + body, Syntax.CONFORMANCE).getFirst());
    }

    @Property(tries = 3000)
    void anyStringFailsOnlyWithAnAssemblyException(@ForAll("junk") String source) {
        for (Syntax syntax : Syntax.values()) {
            assertOnlyAssemblyException(source, syntax);
        }
    }

    @Property(tries = 5000)
    void mutatedValidLinesFailOnlyWithAnAssemblyException(@ForAll("mutations") String source) {
        for (Syntax syntax : Syntax.values()) {
            assertOnlyAssemblyException(source, syntax);
        }
    }

    private static void assertOnlyAssemblyException(String source, Syntax syntax) {
        try {
            Assembler.assemble(source, syntax);
        } catch (AssemblyException e) {
            assertTrue(e.line() >= 1, e.getMessage());
            assertTrue(e.getMessage().startsWith("line " + e.line() + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("invalid instruction: "), "a record refused what the parser let by: "
                    + e.getMessage() + " in " + source);
        }
    }

    private static final String ALPHABET = "%r0123456789abcdefwxs[]()+-*,=<>&|^!:#/ \t\nlu.";

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.strings().withChars(ALPHABET).withCharRange('\u0000', '\u00ff').ofMaxLength(60);
    }

    /** A valid instruction's text in either syntax with a few characters replaced, inserted or deleted. */
    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> valid = Combinators.combine(InstructionArbitraries.instructions(), Arbitraries.of(Syntax.class))
                .as(Disassembler::format);
        Arbitrary<List<Edit>> edits = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000), Arbitraries.chars().with(ALPHABET.toCharArray()))
                .as(Edit::new).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(valid, edits).as((text, list) -> {
            StringBuilder sb = new StringBuilder(text);
            for (Edit e : list) {
                e.apply(sb);
            }
            return sb.toString();
        });
    }

    private record Edit(int kind, int position, char c) {
        void apply(StringBuilder sb) {
            int at = sb.isEmpty() ? 0 : position % (sb.length() + (kind == 1 ? 1 : 0));
            switch (kind) {
                case 0 -> {
                    if (!sb.isEmpty()) {
                        sb.setCharAt(Math.min(at, sb.length() - 1), c);
                    }
                }
                case 1 -> sb.insert(at, c);
                default -> {
                    if (!sb.isEmpty()) {
                        sb.deleteCharAt(Math.min(at, sb.length() - 1));
                    }
                }
            }
        }
    }
}
