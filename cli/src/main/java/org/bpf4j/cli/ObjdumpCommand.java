package org.bpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bpf4j.core.asm.Disassembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.isa.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "objdump", mixinStandardHelpOptions = true,
        description = {"Disassemble raw eBPF bytecode as llvm-objdump -d prints it.",
            "(ELF objects come with object support.)", "",
            "Example:  bpf4j objdump prog.bin"})
final class ObjdumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Raw bytecode: 8 bytes per instruction, little endian.")
    Path file;

    @Option(names = "--syntax", paramLabel = "SYNTAX", defaultValue = "LLVM",
            description = "llvm (as llvm-objdump) or conformance (the conformance suite's assembly; "
                    + "re-assembles with bpf4j asm). Default: llvm.")
    Syntax syntax;

    @Override
    public Integer call() throws IOException {
        long[] slots = Slot.fromBytes(Files.readAllBytes(file));
        System.out.print(Disassembler.listing(slots, syntax));
        System.out.flush();
        return 0;
    }
}
