package org.bpf4j.runtime.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.runtime.Engine;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The standard eBPF conformance suite, every file, on both engines. */
class ConformanceSuiteTest {
    static Path suite() {
        Path dir = Path.of(System.getProperty("bpf4j.conformance.dir", "../../shared/bpf-conformance"));
        assertTrue(Files.isDirectory(dir.resolve("tests")),
                "the conformance suite must lie beside the project, in ../shared/bpf-conformance (looked in "
                        + dir.toAbsolutePath().normalize() + ")");
        return dir;
    }

    static List<Path> files(String sub) throws IOException {
        try (Stream<Path> s = Files.list(suite().resolve(sub))) {
            return s.filter(p -> p.toString().endsWith(".data")).sorted().toList();
        }
    }

    private static Stream<DynamicTest> everyTestOn(Engine engine) throws IOException {
        return files("tests").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            var outcome = ConformanceCheck.check(ConformanceTest.read(f), engine);
            assertTrue(outcome.passed(), outcome.stage() + ": " + outcome.detail());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceTestPassesOnTheInterpreter() throws IOException {
        return everyTestOn(Engine.INTERPRETER);
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceTestPassesOnTheJit() throws IOException {
        return everyTestOn(Engine.JIT);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theSuiteHasAll313Tests(Engine engine) throws IOException {
        long passed = files("tests").stream()
                .map(f -> ConformanceCheck.check(ConformanceTest.read(f), engine))
                .filter(ConformanceCheck.Outcome::passed)
                .count();
        assertEquals(313, files("tests").size());
        assertEquals(313, passed);
    }

    @Test
    void bothEnginesGiveTheSameOutcomeForEveryFile() throws IOException {
        for (String sub : List.of("tests", "negative")) {
            for (Path f : files(sub)) {
                var t = ConformanceTest.read(f);
                assertEquals(ConformanceCheck.check(t, Engine.INTERPRETER), ConformanceCheck.check(t, Engine.JIT),
                        f.toString());
            }
        }
    }

    // Files whose program is well formed: they fail because the expectation is wrong, which the check reports.
    private static final Set<String> WELL_FORMED = Set.of("error", "incorrect_return_value_high_bits");

    @TestFactory
    Stream<DynamicTest> everyNegativeInputIsRejectedWithAClearMessage() throws IOException {
        return negativeInputsOn(Engine.INTERPRETER);
    }

    @TestFactory
    Stream<DynamicTest> everyNegativeInputIsRejectedWithAClearMessageOnTheJit() throws IOException {
        return negativeInputsOn(Engine.JIT);
    }

    private static Stream<DynamicTest> negativeInputsOn(Engine engine) throws IOException {
        return files("negative").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            var t = ConformanceTest.read(f);
            var outcome = ConformanceCheck.check(t, engine);
            assertFalse(outcome.passed(), "negative input passed: " + outcome.detail());
            assertFalse(outcome.detail().isBlank());
            String name = t.name();
            if (WELL_FORMED.contains(name)) {
                assertEquals(ConformanceCheck.Stage.RESULT, outcome.stage(), outcome.detail());
            } else if (name.startsWith("unused-")) {
                // reserved fields set: the decoder names the instruction and the field
                assertEquals(ConformanceCheck.Stage.LOAD, outcome.stage(), outcome.detail());
                assertTrue(outcome.detail().startsWith("instruction 0: "), outcome.detail());
            } else if (name.startsWith("empty") || name.equals("invalid_unknown_directive")) {
                // no instructions at all (the latter's "-- Unknown directive" line ends its asm section at once)
                assertEquals(ConformanceCheck.Stage.NO_PROGRAM, outcome.stage(), outcome.detail());
            } else {
                assertTrue(outcome.stage() == ConformanceCheck.Stage.ASSEMBLY, outcome.stage() + ": " + outcome.detail());
                assertTrue(outcome.detail().startsWith("line "), outcome.detail());
            }
        }));
    }
}
