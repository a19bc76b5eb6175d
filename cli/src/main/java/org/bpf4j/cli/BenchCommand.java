package org.bpf4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpf4j.core.conformance.ConformanceTest;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.KernelObject;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.Packet;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.helpers.HelperServices;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.LoadedProgram;
import org.bpf4j.runtime.packet.PacketRunner;
import org.bpf4j.runtime.raw.RawRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a program per packet on the interpreter, the JIT and (as root) the kernel's test run,",
            "side by side on the same packets in one run, with their ratios.",
            "With --raw, time a bare program (r1 = the memory of --mem, r2 = its length) and print r0.", "",
            "Examples:",
            "  bpf4j bench examples/obj/portfilter.o --pcap examples/captures/mixed.pcap",
            "  bpf4j bench --raw prog.bin --mem input.bin --seconds 3"})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "OBJ", description = "A BPF object.")
    Path object;

    @Option(names = "--pcap", paramLabel = "IN", description = "Packets to run (default: examples/captures/mixed.pcap).")
    Path pcap;

    @Option(names = {"-p", "--program"}, paramLabel = "P", description = "The program (default: the first).")
    String program;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "xdp, tc or bpfabric, when the section names none.")
    String type;

    @Option(names = "--raw", paramLabel = "FILE", description = "A bare program: raw bytecode or assembly.")
    Path raw;

    @Option(names = "--mem", paramLabel = "FILE", description = "With --raw: the memory (.hex as hex text, else raw bytes).")
    Path mem;

    @Option(names = "--engines", paramLabel = "LIST", split = ",", defaultValue = "interp,jit,kernel",
            description = "What to time: interp, jit, kernel (default: ${DEFAULT-VALUE}; kernel only as root, not with --raw).")
    List<String> engines;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "Measuring time per engine, after as long a warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws IOException {
        if (raw != null) {
            return benchRaw();
        }
        if (object == null) {
            throw new IllegalArgumentException("give an object (or --raw FILE); see bpf4j bench --help");
        }
        List<Packet> packets = CaptureReader.readAll(pcap != null ? pcap : Home.dir().resolve("examples/captures/mixed.pcap"));
        if (packets.isEmpty()) {
            throw new IllegalArgumentException("the capture has no packets");
        }
        BpfObject obj = ObjectReader.read(object);
        ProgramType forced = type == null ? null : RunCommand.parseType(type);
        Map<String, Double> nsPerPacket = new LinkedHashMap<>();
        for (String e : engines) {
            switch (e.toLowerCase(Locale.ROOT)) {
                case "interp", "interpreter" -> nsPerPacket.put("interpreter", timeUserspace(obj, forced, Engine.INTERPRETER, packets));
                case "jit" -> nsPerPacket.put("jit", timeUserspace(obj, forced, Engine.JIT, packets));
                case "kernel" -> {
                    Double k = timeKernel(obj, forced, packets);
                    if (k != null) {
                        nsPerPacket.put("kernel test run", k);
                    }
                }
                default -> throw new IllegalArgumentException("unknown engine " + e + " (interp, jit, kernel)");
            }
        }
        System.out.printf("%s over %d packets%n", object.getFileName(), packets.size());
        report(nsPerPacket, "ns/packet", true);
        return 0;
    }

    private LoadedProgram choose(LoadedObject loaded) {
        if (program == null) {
            return loaded.programs().get(0);
        }
        return loaded.program(program).orElseThrow(() -> new IllegalArgumentException("no program " + program));
    }

    private double timeUserspace(BpfObject obj, ProgramType forced, Engine engine, List<Packet> packets) {
        LoadedObject loaded = LoadedObject.load(obj, LoadedObject.Options.defaults().withType(forced).withEngine(engine)
                .withServices(HelperServices.defaults()));
        PacketRunner runner = loaded.runner(choose(loaded), 0);
        byte[][] frames = packets.stream().map(Packet::data).toArray(byte[][]::new);
        loop(runner, frames, (long) (seconds * 1e9)); // warm-up: let HotSpot compile
        long[] counted = loop(runner, frames, (long) (seconds * 1e9));
        return (double) counted[1] / counted[0];
    }

    // Runs the frames round robin for about `budget` ns; returns {runs, nanos}.
    private static long[] loop(PacketRunner runner, byte[][] frames, long budget) {
        long runs = 0;
        long start = System.nanoTime(), now = start;
        while (now - start < budget) {
            for (byte[] f : frames) {
                try {
                    runner.run(f, f.length, PacketMeta.NONE);
                } catch (BpfFault e) {
                    // a faulting packet is timed like the others: it is what the program does with it
                }
            }
            runs += frames.length;
            now = System.nanoTime();
        }
        return new long[] {runs, now - start};
    }

    private Double timeKernel(BpfObject obj, ProgramType forced, List<Packet> packets) {
        try (KernelObject k = KernelObject.load(obj, KernelObject.Options.defaults().withType(forced))) {
            KernelProgram p = program == null ? k.programs().get(0)
                    : k.program(program).orElseThrow(() -> new IllegalArgumentException("no program " + program));
            long runs = 0, nanos = 0;
            int repeat = 10_000;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                for (Packet pk : packets) {
                    if (pk.data().length < 14) {
                        continue; // the kernel's test run refuses frames shorter than an Ethernet header
                    }
                    var r = p.testRun(pk.data(), repeat);
                    runs += repeat;
                    nanos += r.durationNanos() * repeat; // the kernel reports the mean per repetition
                }
            }
            return runs == 0 ? null : (double) nanos / runs;
        } catch (RuntimeException | LinkageError e) {
            System.err.println("kernel: not timed (" + Errors.describe(e) + ")");
            return null;
        }
    }

    private int benchRaw() throws IOException {
        byte[] input = mem == null ? new byte[0] : Files.readAllBytes(mem);
        if (mem != null && mem.toString().endsWith(".hex")) {
            input = ConformanceTest.hexBytes(mem.toString(), new String(input, StandardCharsets.UTF_8));
        }
        Program prog = Program.of(ProgramInput.read(raw, ProgramInput.Format.AUTO));
        Map<String, Double> perRun = new LinkedHashMap<>();
        List<Long> results = new ArrayList<>();
        for (String e : engines) {
            Engine engine = switch (e.toLowerCase(Locale.ROOT)) {
                case "interp", "interpreter" -> Engine.INTERPRETER;
                case "jit" -> Engine.JIT;
                case "kernel" -> null;
                default -> throw new IllegalArgumentException("unknown engine " + e + " (interp, jit)");
            };
            if (engine == null) {
                continue; // bare programs have no kernel program type to test-run as
            }
            RawRunner runner = new RawRunner(prog, engine);
            long r0 = 0;
            for (int pass = 0; pass < 2; pass++) { // warm-up, then measure
                long runs = 0, start = System.nanoTime(), now = start;
                while (now - start < (long) (seconds * 1e9)) {
                    r0 = runner.run(input);
                    runs++;
                    now = System.nanoTime();
                }
                if (pass == 1) {
                    perRun.put(engine == Engine.JIT ? "jit" : "interpreter", (double) (now - start) / runs);
                }
            }
            results.add(r0);
        }
        System.out.printf("%s: r0 = 0x%x (%d)%n", raw.getFileName(), results.get(0), results.get(0));
        if (results.stream().distinct().count() > 1) {
            throw new IllegalStateException("the engines disagree on r0: " + results);
        }
        report(perRun, "ns/run", false);
        return 0;
    }

    private static void report(Map<String, Double> times, String unit, boolean packets) {
        Double interp = times.get("interpreter");
        Double kernel = times.get("kernel test run");
        System.out.printf("  %-16s %14s %10s %14s %12s%n", "engine", unit, packets ? "Mpps" : "runs/s",
                "vs interpreter", "vs kernel");
        for (var e : times.entrySet()) {
            double ns = e.getValue();
            System.out.printf("  %-16s %14.1f %10.2f %14s %12s%n", e.getKey(), ns,
                    packets ? 1e3 / ns : 1e9 / ns,
                    interp == null ? "-" : String.format("%.1fx", interp / ns),
                    kernel == null ? "-" : String.format("%.2fx", ns / kernel));
        }
    }
}
