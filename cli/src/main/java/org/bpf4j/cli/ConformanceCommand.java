package org.bpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.runtime.raw.ConformanceCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Run conformance suite files (bpf_conformance's .data format) in process (JIT, or --engine interp).",
            "Prints each failure and a closing count; exits 1 when any test fails.", "",
            "Example:  bpf4j conformance ../shared/bpf-conformance/tests"})
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Test files or directories of them. Default: the suite beside the project, "
                    + "../shared/bpf-conformance/tests.")
    List<Path> paths = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures.")
    boolean verbose;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit", description = "jit (default) or interp.")
    String engine;

    @Override
    public Integer call() throws IOException {
        if (paths.isEmpty()) {
            paths.add(Home.dir().resolve("../shared/bpf-conformance/tests").normalize());
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".data")).sorted().forEach(files::add);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("no such file or directory: " + p);
            }
        }
        int passed = 0, failed = 0;
        for (Path f : files) {
            ConformanceCheck.Outcome o;
            try {
                o = ConformanceCheck.check(ConformanceTest.read(f), RunCommand.parseEngine(engine));
            } catch (IllegalArgumentException e) {
                o = new ConformanceCheck.Outcome(f.getFileName().toString(), false, ConformanceCheck.Stage.NO_PROGRAM,
                        e.getMessage());
            }
            if (o.passed()) {
                passed++;
            } else {
                failed++;
            }
            if (verbose || !o.passed()) {
                System.out.printf("%-4s %-40s %s%n", o.passed() ? "PASS" : "FAIL", o.name(), o.detail());
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
