package org.bpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bpf4j.core.isa.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "asm", mixinStandardHelpOptions = true,
        description = {"Assemble eBPF assembly into raw bytecode (8 bytes per instruction, little endian).",
            "Both syntaxes are understood: the conformance suite's (mov %%r0, 1) and LLVM's (r0 = 1).", "",
            "Example:  bpf4j asm prog.asm -o prog.bin"})
final class AsmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Assembly source.")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Where to write the bytecode; '-' for standard output. Default: FILE with extension .bin.")
    String output;

    @Option(names = "--syntax", paramLabel = "SYNTAX", defaultValue = "AUTO",
            description = "auto, conformance or llvm (default: ${DEFAULT-VALUE}).")
    ProgramInput.Format syntax;

    @Option(names = "--hex", description = "Print the bytecode as hex, one instruction per line, instead of writing it.")
    boolean hex;

    @Override
    public Integer call() throws IOException {
        if (syntax == ProgramInput.Format.RAW) {
            throw new IllegalArgumentException("--syntax raw makes no sense for asm: the input is assembly");
        }
        long[] slots = ProgramInput.read(source, syntax == ProgramInput.Format.AUTO ? ProgramInput.Format.AUTO : syntax);
        if (hex) {
            for (long s : slots) {
                System.out.println(Slot.hex(s));
            }
            return 0;
        }
        byte[] bytes = Slot.toBytes(slots);
        if ("-".equals(output)) {
            System.out.write(bytes);
            System.out.flush();
            return 0;
        }
        Path out = output != null ? Path.of(output)
                : source.resolveSibling(source.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".bin");
        Files.write(out, bytes);
        System.err.println("wrote " + slots.length + " instructions (" + bytes.length + " bytes) to " + out);
        return 0;
    }
}
