package org.bpf4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.raw.RawRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a bare program (on the JIT, or --engine interp) over one or more inputs and print r0 for each.",
            "r1 points to a writable copy of the input, r2 holds its length (the conformance suite's convention).",
            "Without arguments, runs the bundled example: examples/asm/portfilter.asm over examples/packets/.", "",
            "Example:  bpf4j exec prog.asm --mem frame.hex --mem other.bin"})
final class ExecCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PROGRAM",
            description = "Assembly (either syntax) or raw bytecode (.bin). Default: examples/asm/portfilter.asm.")
    Path program;

    @Option(names = "--mem", paramLabel = "FILE",
            description = "An input: .hex (hex bytes as text) or anything else as raw bytes; a directory means every "
                    + "file in it. Repeatable. Default: examples/packets/ with the default program, else no input.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "AUTO",
            description = "How to read PROGRAM: auto, raw, conformance or llvm (default: ${DEFAULT-VALUE}).")
    ProgramInput.Format format;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit",
            description = "jit (default) or interp.")
    String engine;

    @Option(names = "--budget", paramLabel = "N", description = "Backward jumps plus calls one run may make "
            + "before it is stopped (default: ${DEFAULT-VALUE}).")
    long budget = Interpreter.DEFAULT_BUDGET;

    @Override
    public Integer call() throws IOException {
        boolean bundled = program == null;
        if (bundled) {
            program = Home.dir().resolve("examples/asm/portfilter.asm");
            if (inputs.isEmpty()) {
                inputs.add(Home.dir().resolve("examples/packets"));
            }
        }
        RawRunner runner = new RawRunner(Program.of(ProgramInput.read(program, format)), RunCommand.parseEngine(engine));
        runner.execution().budget(budget);
        List<Path> files = expand(inputs);
        System.out.println("program " + Home.dir().relativize(program.toAbsolutePath().normalize()) + " ("
                + runner.execution().program().length() + " instructions), " + RunCommand.parseEngine(engine).name().toLowerCase());
        if (files.isEmpty()) {
            report("(no input)", new byte[0], runner);
            return 0;
        }
        for (Path f : files) {
            report(f.getFileName().toString(), readInput(f), runner);
        }
        return 0;
    }

    private static void report(String name, byte[] input, RawRunner runner) {
        long r0 = runner.run(input);
        System.out.printf("%-28s %6d bytes   r0 = 0x%x (%d)%n", name, input.length, r0, r0);
    }

    private static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".hex") || f.toString().endsWith(".bin")).sorted()
                            .forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static byte[] readInput(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        return f.toString().endsWith(".hex")
                ? ConformanceTest.hexBytes(f.toString(), new String(bytes, StandardCharsets.UTF_8)) : bytes;
    }
}
