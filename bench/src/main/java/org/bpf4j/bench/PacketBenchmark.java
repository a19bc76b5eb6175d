package org.bpf4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.Packet;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.hooks.Action;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds per packet of the example network functions on both engines, over the 297 frames of the bundled
 * capture, round robin: one invocation runs every frame once ({@link OperationsPerInvocation}), so the score is
 * per packet (Mpps per core = 1000 / score). Run it with {@code -prof gc}: {@code gc.alloc.rate.norm} shows what
 * a packet allocates on the steady-state path.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PacketBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketBenchmark {
    static final int FRAMES = 297;

    @Param({"dropworld", "portfilter", "protocount", "macswap", "flowtable"})
    public String program;

    @Param({"JIT", "INTERPRETER"})
    public Engine engine;

    private PacketRunner runner;
    private byte[][] frames;

    @Setup
    public void setup() throws IOException {
        Path examples = examples();
        List<Packet> packets = CaptureReader.readAll(examples.resolve("captures/mixed.pcap"));
        if (packets.size() != FRAMES) {
            throw new IllegalStateException("expected " + FRAMES + " frames in the bundled capture");
        }
        frames = packets.stream().map(Packet::data).toArray(byte[][]::new);
        LoadedObject obj = LoadedObject.load(ObjectReader.read(examples.resolve("obj/" + program + ".o")),
                LoadedObject.Options.defaults().withEngine(engine));
        runner = obj.runner(obj.programs().get(0), 0);
    }

    /** The examples folder: the system property bpf4j.examples, or found above the working directory. */
    static Path examples() {
        String p = System.getProperty("bpf4j.examples");
        if (p != null) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples/obj"))) {
                return d.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/ not found: run from the project or set -Dbpf4j.examples");
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void everyFrameOnce(Blackhole bh) {
        for (byte[] f : frames) {
            Action a = runner.run(f, f.length, PacketMeta.NONE);
            bh.consume(a);
        }
    }
}
