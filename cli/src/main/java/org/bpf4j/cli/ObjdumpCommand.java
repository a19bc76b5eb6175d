package org.bpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.bpf4j.core.asm.Disassembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.elf.ObjectDump;
import org.bpf4j.core.isa.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "objdump", mixinStandardHelpOptions = true,
        description = {"Disassemble a BPF object or raw bytecode as llvm-objdump -d --mcpu=v4 prints it.",
            "With -S, C source lines (from the object's BTF line info) are interleaved, as llvm-objdump -S does.", "",
            "Example:  bpf4j objdump -S examples/obj/portfilter.o"})
final class ObjdumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "An ELF object, or raw bytecode (8 bytes per instruction).")
    Path file;

    @Option(names = {"-S", "--source"}, description = "Interleave C source lines (objects only).")
    boolean source;

    @Option(names = {"-d", "--disassemble"}, description = "Disassemble (the default; for llvm-objdump habits).")
    boolean disassemble;

    @Option(names = "--syntax", paramLabel = "SYNTAX", defaultValue = "LLVM",
            description = "For raw bytecode: llvm (as llvm-objdump) or conformance (the conformance suite's "
                    + "assembly; re-assembles with bpf4j asm). Default: llvm.")
    Syntax syntax;

    @Override
    public Integer call() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            String listing = ObjectDump.dump(file.toString(), bytes);
            if (!source) {
                listing = listing.lines().filter(l -> !l.startsWith("; ")).collect(Collectors.joining("\n", "", "\n"));
            }
            System.out.print(listing);
        } else {
            System.out.print(Disassembler.listing(Slot.fromBytes(bytes), syntax));
        }
        System.out.flush();
        return 0;
    }
}
