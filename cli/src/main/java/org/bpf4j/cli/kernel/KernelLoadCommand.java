package org.bpf4j.cli.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.api.Json;
import org.bpf4j.kernel.KernelMap;
import org.bpf4j.kernel.KernelObject;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.kernel.VerifierException;
import org.bpf4j.kernel.sys.ProgInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load an object into the kernel: BTF, maps, programs (verified), program arrays filled.",
            "With --pin, pins every program and map by name under DIR (a directory in /sys/fs/bpf), so they",
            "outlive this command; without, they are unloaded when it ends (a check that the kernel takes them).",
            "Remove pins with rm -r DIR.", "",
            "Example:  bpf4j kernel load examples/obj/tailcall.o --pin /sys/fs/bpf/tailcall"})
final class KernelLoadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OBJ", description = "A BPF object (clang -O2 -g -target bpf).")
    Path object;

    @Option(names = "--pin", paramLabel = "DIR", description = "Pin programs and maps under DIR (in /sys/fs/bpf).")
    Path pin;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "xdp or tc, for programs whose section names no type.")
    String type;

    @Option(names = "--no-btf", description = "Load without the object's BTF (no source lines in verifier logs).")
    boolean noBtf;

    @Option(names = "--log", description = "On a verifier rejection, print the verifier's whole log to stderr.")
    boolean log;

    @Option(names = "--log-level", paramLabel = "N", description = "Verifier log level: 1 (default) or 2 (every "
            + "instruction); with --log, printed even when the load succeeds.")
    int logLevel = 1;

    @Option(names = {"-j", "--json"}, description = "Print what was loaded as JSON.")
    boolean json;

    @Override
    public Integer call() {
        return KernelCli.guarded(spec, this::load);
    }

    private int load() throws Exception {
        BpfObject obj = ObjectReader.read(object);
        KernelObject.Options options = KernelObject.Options.defaults().withBtf(!noBtf)
                .withLog(logLevel, org.bpf4j.kernel.sys.ProgLoad.DEFAULT_LOG_SIZE);
        if (type != null) {
            options = options.withType(parseType(type));
        }
        KernelObject k;
        try {
            k = KernelObject.load(obj, options);
        } catch (VerifierException e) {
            if (log) {
                System.err.print(e.log().endsWith("\n") ? e.log() : e.log() + "\n");
            }
            throw e;
        }
        try (k) {
            List<Path> pinned = pin != null ? k.pin(pin) : List.of();
            for (String w : k.warnings()) {
                System.err.println("warning: " + w);
            }
            if (log && logLevel > 0) {
                for (KernelProgram p : k.programs()) {
                    System.err.println("verifier log of " + p.name() + ":");
                    System.err.print(p.verifierLog());
                }
            }
            if (json) {
                Json w = new Json(false).beginObject().field("object", obj.name()).field("btf", k.hasBtf());
                w.name("programs").beginArray();
                for (KernelProgram p : k.programs()) {
                    ProgInfo i = p.info();
                    w.beginObject().field("name", p.name()).field("id", i.id()).field("type", i.typeName())
                            .field("tag", i.tag());
                    if (pin != null) {
                        w.field("pinned", pin.resolve(p.name().replace('.', '_')).toString());
                    }
                    w.endObject();
                }
                w.endArray().name("maps").beginArray();
                for (KernelMap m : k.maps()) {
                    w.beginObject().field("name", m.name()).field("id", m.id()).field("type", m.info().typeName());
                    w.endObject();
                }
                w.endArray();
                if (pin != null) {
                    w.name("pinned").beginArray();
                    pinned.forEach(p -> w.value(p.toString()));
                    w.endArray();
                }
                System.out.print(w.endObject().finish());
                return 0;
            }
            System.out.println("loaded " + obj.name() + (k.hasBtf() ? " (with BTF)" : " (without BTF)"));
            for (KernelProgram p : k.programs()) {
                ProgInfo i = p.info();
                System.out.printf("  program %-16s %-10s id %-6d tag %s  %d instructions verified%n", p.name(),
                        i.typeName(), i.id(), i.tag(), i.verifiedInsns());
            }
            for (KernelMap m : k.maps()) {
                System.out.printf("  map     %-16s %-10s id %-6d key %dB value %dB max_entries %d%n", m.name(),
                        m.info().typeName(), m.id(), m.keySize(), m.valueSize(), m.maxEntries());
            }
            if (pin != null) {
                System.out.println("pinned " + pinned.size() + " objects under " + pin + ": " + String.join(", ",
                        pinned.stream().map(p -> p.getFileName().toString()).toList()));
            } else {
                System.out.println("not pinned: unloaded again as this command ends (use --pin DIR to keep them)");
            }
        }
        return 0;
    }

    static ProgramType parseType(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "xdp" -> ProgramType.XDP;
            case "tc", "classifier", "sched_cls" -> ProgramType.SCHED_CLS;
            default -> throw new KernelCli.UserError("unknown program type " + t + " (xdp or tc)");
        };
    }
}
