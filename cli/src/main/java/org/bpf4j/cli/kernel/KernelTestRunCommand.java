package org.bpf4j.cli.kernel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.KernelObject;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.kernel.sys.ProgInfo;
import org.bpf4j.kernel.sys.TestRun;
import org.bpf4j.net.capture.CaptureReader;
import org.bpf4j.net.capture.Packet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "test-run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a program in the kernel over every packet of a capture (BPF_PROG_TEST_RUN).",
            "Loads the object, runs the program --repeat times on each packet, and prints packets and bytes per",
            "action and the kernel's own average run time. Packets the kernel refuses to run (shorter than an",
            "Ethernet header, or too large for XDP) count as errors.", "",
            "Example:  bpf4j kernel test-run examples/obj/portfilter.o --pcap examples/captures/mixed.pcap"})
final class KernelTestRunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OBJ", description = "A BPF object (clang -O2 -g -target bpf).")
    Path object;

    @Option(names = "--pcap", paramLabel = "IN", required = true, description = "The capture (pcap or pcapng).")
    Path pcap;

    @Option(names = {"-p", "--program"}, paramLabel = "P",
            description = "The program (function name or section); default: the object's first.")
    String program;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "xdp or tc, for programs whose section names no type.")
    String type;

    @Option(names = "--repeat", paramLabel = "N", description = "Runs per packet (default 1).")
    int repeat = 1;

    @Override
    public Integer call() {
        return KernelCli.guarded(spec, this::run);
    }

    private int run() throws Exception {
        if (repeat < 1) {
            throw new KernelCli.UserError("--repeat must be at least 1");
        }
        BpfObject obj = ObjectReader.read(object);
        KernelObject.Options options = KernelObject.Options.defaults();
        if (type != null) {
            options = options.withType(KernelLoadCommand.parseType(type));
        }
        try (KernelObject k = KernelObject.load(obj, options)) {
            KernelProgram p = choose(k);
            boolean tc = p.type() == ProgramType.SCHED_CLS || p.type() == ProgramType.SCHED_ACT;
            Map<String, long[]> counts = new LinkedHashMap<>();
            Map<String, String> firstError = new LinkedHashMap<>();
            long packets = 0, runs = 0;
            double nanos = 0;
            try (CaptureReader in = CaptureReader.open(pcap)) {
                for (Packet pkt; (pkt = in.next()) != null; ) {
                    packets++;
                    String label;
                    try {
                        TestRun.Result r = p.testRun(pkt.data(), repeat);
                        label = tc ? tcAction(r.retval()) : xdpAction(r.retval());
                        nanos += (double) r.durationNanos() * repeat;
                        runs += repeat;
                    } catch (BpfSyscallException e) {
                        label = "error (" + e.errnoName() + ")";
                        firstError.putIfAbsent(label, "packet " + packets + " (" + pkt.data().length + " bytes): "
                                + e.getMessage());
                    }
                    long[] c = counts.computeIfAbsent(label, x -> new long[2]);
                    c[0]++;
                    c[1] += pkt.data().length;
                }
            }
            ProgInfo info = p.info();
            System.out.printf("%s: program %s (%s, id %d, %d instructions) over %s, in the kernel%n",
                    object.getFileName(), p.name(), info.typeName(), info.id(), info.xlatedSize() / 8,
                    pcap.getFileName());
            System.out.printf("  %-16s %10s %12s %8s%n", "action", "packets", "bytes", "share");
            for (var e : counts.entrySet()) {
                System.out.printf("  %-16s %10d %12d %7.1f%%%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                        packets == 0 ? 0.0 : 100.0 * e.getValue()[0] / packets);
            }
            System.out.printf("  %-16s %10d%n", "total", packets);
            System.out.printf(Locale.ROOT, "  %.0f ns per run (the kernel's average over %d runs, %d per packet)%n",
                    runs == 0 ? 0.0 : nanos / runs, runs, repeat);
            for (String err : firstError.values()) {
                System.err.println("error: " + err);
            }
        }
        return 0;
    }

    private KernelProgram choose(KernelObject k) {
        if (program != null) {
            return k.program(program).orElseThrow(() -> new KernelCli.UserError("no program " + program
                    + " in the object (it has " + String.join(", ", k.programs().stream().map(KernelProgram::name)
                    .toList()) + ")"));
        }
        if (k.programs().isEmpty()) {
            throw new KernelCli.UserError("the object has no programs");
        }
        return k.programs().getFirst();
    }

    static String xdpAction(int r) {
        return switch (r) {
            case 0 -> "aborted";
            case 1 -> "drop";
            case 2 -> "pass";
            case 3 -> "tx";
            case 4 -> "redirect";
            default -> "retval " + Integer.toUnsignedString(r);
        };
    }

    static String tcAction(int r) {
        return switch (r) {
            case -1 -> "unspec";
            case 0 -> "ok";
            case 1 -> "reclassify";
            case 2 -> "shot";
            case 3 -> "pipe";
            case 4 -> "stolen";
            case 5 -> "queued";
            case 6 -> "repeat";
            case 7 -> "redirect";
            case 8 -> "trap";
            default -> "retval " + r;
        };
    }
}
