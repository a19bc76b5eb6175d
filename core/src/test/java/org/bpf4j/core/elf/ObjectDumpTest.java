package org.bpf4j.core.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link ObjectDump} against its golden listings ({@code objects/*.dump}) and against what llvm-objdump-19 really
 * printed ({@code objects/*.objdump}): every header, label and instruction line the same, source lines the same
 * except for the two documented kinds of difference.
 */
class ObjectDumpTest {

    static String dump(String name) {
        return ObjectDump.dump(name + ".o", TestObjects.bytes(name));
    }

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#ALL")
    void matchesTheGoldenListing(String name) throws IOException {
        String out = dump(name);
        if (Boolean.getBoolean("bpf4j.objects.regenerate")) {
            Files.writeString(Path.of("src/test/resources/objects", name + ".dump"), out, StandardCharsets.UTF_8);
        }
        assertEquals(TestObjects.text(name + ".dump"), out);
    }

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#ALL")
    void matchesLlvmObjdumpButForSourceLines(String name) {
        List<Block> ours = blocks(dump(name)), llvm = blocks(TestObjects.text(name + ".objdump"));
        assertEquals(llvm.stream().map(Block::line).toList(), ours.stream().map(Block::line).toList(),
                "headers, labels and instructions");
        int differences = 0;
        String lastLlvmSource = null;
        for (int i = 0; i < ours.size(); i++) {
            Block o = ours.get(i), l = llvm.get(i);
            if (!o.source().equals(l.source())) {
                differences++;
                boolean functionStart = i > 0 && ours.get(i - 1).line().endsWith(">:") && o.source().size() == 1
                        && l.source().size() == 1;
                boolean repeat = o.source().isEmpty() && l.source().size() == 1
                        && l.source().getFirst().equals(lastLlvmSource);
                assertTrue(functionStart || repeat, name + ": before '" + o.line() + "' we print " + o.source()
                        + ", llvm-objdump " + l.source());
            }
            if (!l.source().isEmpty()) {
                lastLlvmSource = l.source().getLast();
            }
        }
        assertTrue(differences <= 6, name + ": " + differences + " source line differences");
    }

    @Test
    void dumpsAFileByItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two_progs.o");
        Files.write(file, TestObjects.bytes("two_progs"));
        String out = ObjectDump.dump(file);
        assertTrue(out.startsWith("\n" + file + ":\tfile format elf64-bpf\n\nDisassembly of section xdp:\n"), out);
    }

    @Test
    void withoutBtfThereAreNoSourceLinesAndLabelsFallBackToTheSection() {
        long[] code = ElfBuilder.concat(ElfBuilder.slot(0x05, 0, 0, -2, 0), ElfBuilder.lddw(1, 4, 5),
                ElfBuilder.call(1, -2), ElfBuilder.slot(0x00, 1, 2, 0, 7), ElfBuilder.exit(), 0L, 0L);
        byte[] obj = new ElfBuilder().code("xdp", code).build();
        assertEquals("""

                x.o:\tfile format elf64-bpf

                Disassembly of section xdp:

                0000000000000000 <xdp>:
                       0:\t05 00 fe ff 00 00 00 00\tgoto -0x2 <xdp+0xfffffffffffffff8>
                       1:\t18 41 00 00 05 00 00 00 00 00 00 00 00 00 00 00\tld_pseudo\tr1, 0x4, 0x5
                       3:\t85 10 00 00 fe ff ff ff\tcall -0x2
                       4:\t00 21 00 00 07 00 00 00\t<unknown>
                       5:\t95 00 00 00 00 00 00 00\texit
                \t\t...
                """, ObjectDump.dump("x.o", obj));
    }

    @Test
    void brokenElfIsAnObjectFormatException() {
        var e = assertThrows(ObjectFormatException.class, () -> ObjectDump.dump("x.o", new byte[10]));
        assertEquals("x.o: not an ELF file (bad magic)", e.getMessage());
    }

    /** A non-source line of a listing and the source lines printed before it. */
    record Block(String line, List<String> source) {}

    static List<Block> blocks(String listing) {
        List<Block> out = new ArrayList<>();
        List<String> source = new ArrayList<>();
        for (String line : listing.split("\n", -1)) {
            if (line.startsWith(";")) {
                source.add(line);
            } else {
                out.add(new Block(line, List.copyOf(source)));
                source.clear();
            }
        }
        return out;
    }
}
