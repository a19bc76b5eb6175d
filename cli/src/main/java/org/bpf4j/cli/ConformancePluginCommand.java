package org.bpf4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.raw.RawRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "conformance-plugin", mixinStandardHelpOptions = true,
        description = {"Run one program for the bpf_conformance suite's runner (its plugin protocol).", "",
            "The program arrives on standard input as hex bytes; MEMORY is the input memory as hex bytes",
            "(may be empty). r1 points to a copy of it, r2 holds its length, helper 5 unwinds.",
            "Prints r0 in hex and exits 0, or prints the error and exits 1.", "",
            "OPTIONS is one argument (the runner's --plugin_options), e.g. \"--engine interp --budget 1000000\"",
            "(engines: jit, the default, and interp).", "",
            "Example:  bpf_conformance_runner --test_file_directory tests --plugin_path ./bpf4j \\",
            "            --plugin_options conformance-plugin ... (see docs/conformance.md)"})
final class ConformancePluginCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "MEMORY [OPTIONS]",
            description = "Input memory as hex bytes, then the plugin options as one string.")
    List<String> args = List.of();

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        try {
            String memoryHex = args.isEmpty() ? "" : args.get(0);
            long budget = Interpreter.DEFAULT_BUDGET;
            org.bpf4j.runtime.Engine engine = org.bpf4j.runtime.Engine.JIT;
            for (int i = 1; i < args.size(); i++) {
                String[] words = args.get(i).trim().split("\\s+");
                for (int w = 0; w < words.length; w++) {
                    switch (words[w]) {
                        case "" -> {}
                        case "--budget" -> budget = Long.parseLong(words[++w]);
                        case "--engine" -> engine = RunCommand.parseEngine(words[++w]);
                        default -> throw new IllegalArgumentException("unknown plugin option " + words[w]);
                    }
                }
            }
            byte[] memory = ConformanceTest.hexBytes("memory argument", memoryHex);
            byte[] code = ConformanceTest.hexBytes("program on standard input", new String(System.in.readAllBytes()));
            RawRunner runner = new RawRunner(Program.of(code), engine);
            runner.execution().budget(budget);
            out.println(Long.toHexString(runner.run(memory)));
            return 0;
        } catch (RuntimeException e) {
            // The runner compares what we print with the test's expected error text.
            out.println(Errors.describe(e));
            return 1;
        }
    }
}
