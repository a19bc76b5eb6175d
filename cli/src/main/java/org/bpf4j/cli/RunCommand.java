package org.bpf4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.CaptureWriter;
import org.bpf4j.net.capture.Packet;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.helpers.HelperServices;
import org.bpf4j.runtime.hooks.Action;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.LoadedProgram;
import org.bpf4j.runtime.packet.PacketRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a program of an object over every packet of a capture, in user space.",
            "Prints packets and bytes per action and the time per packet; with --out, writes one capture per",
            "action (pass.pcap, drop.pcap, tx.pcap, redirect-<ifindex>.pcap, port-<n>.pcap...) holding the",
            "packets as the program left them. Without arguments, runs the bundled examples portfilter and",
            "protocount over examples/captures/mixed.pcap.", "",
            "Example:  bpf4j run examples/obj/portfilter.o --pcap examples/captures/mixed.pcap --out /tmp/out"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "OBJ", description = "A BPF object (clang -O2 -g -target bpf).")
    Path object;

    @Option(names = "--pcap", paramLabel = "IN", description = "The capture to run (pcap or pcapng). "
            + "Default: examples/captures/mixed.pcap.")
    Path pcap;

    @Option(names = {"-s", "--section"}, paramLabel = "S", description = "Run the first program of this section.")
    String section;

    @Option(names = {"-p", "--program"}, paramLabel = "P", description = "Run the program with this function name.")
    String program;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "xdp, tc or bpfabric. Default: from the section name.")
    String type;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Write one capture per action into DIR.")
    Path out;

    @Option(names = "--maps", description = "Dump every map afterwards, as bpftool map dump -j.")
    boolean maps;

    @Option(names = "--fixed-clock", description = "Let bpf_ktime_get_ns return the packet's timestamp "
            + "(reproducible runs).")
    boolean fixedClock;

    @Option(names = "--quiet", description = "Do not print bpf_trace_printk lines to stderr.")
    boolean quiet;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jit",
            description = "jit (default: eBPF compiled to JVM bytecode) or interp (the reference interpreter).")
    String engine;

    static org.bpf4j.runtime.Engine parseEngine(String e) {
        return switch (e.toLowerCase(Locale.ROOT)) {
            case "jit" -> org.bpf4j.runtime.Engine.JIT;
            case "interp", "interpreter" -> org.bpf4j.runtime.Engine.INTERPRETER;
            default -> throw new IllegalArgumentException("unknown engine " + e + " (jit or interp)");
        };
    }

    @Override
    public Integer call() throws IOException {
        if (object == null) {
            return runBundled();
        }
        run(object, pcap != null ? pcap : Home.dir().resolve("examples/captures/mixed.pcap"), System.out, maps);
        return 0;
    }

    private int runBundled() throws IOException {
        Path capture = pcap != null ? pcap : Home.dir().resolve("examples/captures/mixed.pcap");
        run(Home.dir().resolve("examples/obj/portfilter.o"), capture, System.out, maps);
        System.out.println();
        LoadedObject counter = run(Home.dir().resolve("examples/obj/protocount.o"), capture, System.out, maps);
        if (!maps) {
            BpfMap m = counter.map("protocount_map").orElseThrow();
            System.out.println("  " + m.name() + " (packets per IP protocol, summed over CPUs; --maps for JSON):");
            System.out.println("    " + MapSummary.countersPerKey(m));
        }
        return 0;
    }

    LoadedObject run(Path objectFile, Path capture, PrintStream o, boolean dumpMaps) throws IOException {
        BpfObject obj = ObjectReader.read(objectFile);
        ProgramType forced = type == null ? null : parseType(type);
        long[] clock = {0};
        HelperServices services = HelperServices.defaults();
        if (fixedClock) {
            services = services.withClock(() -> clock[0]);
        }
        if (!quiet) {
            services.trace().listen(line -> System.err.println("trace: " + line));
        }
        LoadedObject loaded = LoadedObject.load(obj, LoadedObject.Options.defaults().withType(forced)
                .withServices(services).withEngine(parseEngine(engine)));
        LoadedProgram entry = choose(loaded);
        PacketRunner runner = loaded.runner(entry, 0);

        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, CaptureWriter> writers = new LinkedHashMap<>();
        List<String> faults = new ArrayList<>();
        long packets = 0, nanos = 0;
        long size = Files.size(capture);
        Progress progress = new Progress(size);
        try (CaptureReader in = CaptureReader.open(capture)) {
            for (Packet p; (p = in.next()) != null; ) {
                packets++;
                clock[0] = p.timestampNanos();
                String label;
                long t0 = System.nanoTime();
                try {
                    Action a = runner.run(p.data(), p.data().length,
                            new PacketMeta(1, 0, p.timestampNanos(), p.interfaceIndex() + 1));
                    nanos += System.nanoTime() - t0;
                    label = a.label();
                    if (label.equals("redirect") && runner.redirectTarget() >= 0) {
                        label = "redirect-" + runner.redirectTarget();
                    }
                } catch (BpfFault f) {
                    nanos += System.nanoTime() - t0;
                    label = "fault";
                    if (faults.size() < 5) {
                        faults.add("packet " + packets + ": " + f.getMessage());
                    }
                }
                long[] c = counts.computeIfAbsent(label, k -> new long[2]);
                c[0]++;
                c[1] += p.data().length;
                if (out != null && !label.equals("fault")) {
                    CaptureWriter w = writers.get(label);
                    if (w == null) {
                        Files.createDirectories(out);
                        w = CaptureWriter.pcap(out.resolve(label + ".pcap"), p.linkType(), true);
                        writers.put(label, w);
                    }
                    byte[] frame = runner.frame();
                    w.write(p.interfaceIndex(), p.timestampNanos(), frame, 0, frame.length,
                            frame.length + (p.originalLength() - p.data().length));
                }
                progress.update(in.offset());
            }
        } finally {
            progress.done();
            for (CaptureWriter w : writers.values()) {
                w.close();
            }
        }
        o.printf("%s: program %s (%s, %d instructions) over %s%n", objectFile.getFileName(), entry.name(),
                entry.type().name().toLowerCase(Locale.ROOT), entry.program().length(), capture.getFileName());
        o.printf("  %-16s %10s %12s %8s%n", "action", "packets", "bytes", "share");
        for (var e : counts.entrySet()) {
            o.printf("  %-16s %10d %12d %7.1f%%%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                    packets == 0 ? 0.0 : 100.0 * e.getValue()[0] / packets);
        }
        o.printf("  %-16s %10d%n", "total", packets);
        o.printf("  %.0f ns per packet (%s, including the first, cold packets; bpf4j bench measures warm)%n",
                packets == 0 ? 0.0 : (double) nanos / packets, loaded.options().engine().name().toLowerCase(Locale.ROOT));
        if (out != null) {
            o.println("  wrote " + String.join(", ", writers.keySet().stream().map(l -> l + ".pcap").toList())
                    + " to " + out);
        }
        for (String f : faults) {
            System.err.println("fault: " + f);
        }
        if (dumpMaps) {
            for (BpfMap m : loaded.maps()) {
                o.println("map " + m.name() + " (" + m.type().bpftoolName() + "):");
                o.println(m.dumpJson(true));
            }
        }
        return loaded;
    }

    private LoadedProgram choose(LoadedObject loaded) {
        if (program != null) {
            return loaded.programs().stream().filter(p -> p.name().equals(program)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no program " + program + " in the object (it has "
                            + names(loaded) + ")"));
        }
        if (section != null) {
            return loaded.programs().stream().filter(p -> p.spec().section().equals(section)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no program in section " + section + " (the object has "
                            + names(loaded) + ")"));
        }
        if (loaded.programs().isEmpty()) {
            throw new IllegalArgumentException("the object has no programs");
        }
        return loaded.programs().get(0);
    }

    private static String names(LoadedObject loaded) {
        return String.join(", ", loaded.programs().stream().map(p -> p.name() + " in " + p.spec().section()).toList());
    }

    static ProgramType parseType(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "xdp" -> ProgramType.XDP;
            case "tc", "classifier", "sched_cls" -> ProgramType.SCHED_CLS;
            case "bpfabric", "fabric" -> ProgramType.BPFABRIC;
            default -> throw new IllegalArgumentException("unknown program type " + t + " (xdp, tc or bpfabric)");
        };
    }

    /** A progress bar on stderr, only when it is a terminal and the capture is large. */
    static final class Progress {
        private final long total;
        private final boolean show;
        private int shown = -1;

        Progress(long total) {
            this.total = total;
            this.show = System.console() != null && total > 8 << 20;
        }

        void update(long offset) {
            if (!show) {
                return;
            }
            int pct = (int) (100 * offset / Math.max(1, total));
            if (pct != shown) {
                shown = pct;
                int bars = pct / 5;
                System.err.print("\r[" + "=".repeat(bars) + " ".repeat(20 - bars) + "] " + pct + "%");
            }
        }

        void done() {
            if (show && shown >= 0) {
                System.err.print("\r" + " ".repeat(30) + "\r");
            }
        }
    }
}
