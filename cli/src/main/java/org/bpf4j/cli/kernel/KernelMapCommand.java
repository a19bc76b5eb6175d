package org.bpf4j.cli.kernel;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bpf4j.core.api.Json;
import org.bpf4j.kernel.KernelMap;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.FdInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"Maps in the kernel, as bpftool map shows, dumps and changes them.",
            "MAP is an id (12, or id 12) or a pinned path (pinned /sys/fs/bpf/x, or just the path). Keys and values",
            "are bytes as bpftool reads them: key 0x06 0 0 0, or key hex 06 00 00 00."},
        subcommands = {KernelMapCommand.ListMaps.class, KernelMapCommand.ShowMap.class, KernelMapCommand.Dump.class,
            KernelMapCommand.Lookup.class, KernelMapCommand.Update.class, KernelMapCommand.Delete.class,
            CommandLine.HelpCommand.class})
final class KernelMapCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every map subcommand has. */
    static class JsonOptions {
        @Option(names = {"-j", "--json"}, description = "JSON, as bpftool -j prints it.")
        boolean json;

        @Option(names = {"-p", "--pretty"}, description = "Pretty JSON, as bpftool -p prints it.")
        boolean pretty;

        boolean any() {
            return json || pretty;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every map in the kernel.")
    static final class ListMaps implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOptions out = new JsonOptions();

        @Override
        public Integer call() {
            return KernelCli.guarded(spec, () -> {
                Json w = new Json(out.pretty).beginArray();
                StringBuilder text = new StringBuilder();
                for (int id : Bpf.ids(BpfCommand.BPF_MAP_GET_NEXT_ID)) {
                    try (KernelMap m = KernelMap.open(id)) {
                        FdInfo fi = FdInfo.of(m.fd().get());
                        KernelCli.showMap(text, m.info(), fi);
                        KernelCli.showMapJson(w, m.info(), fi);
                    } catch (BpfSyscallException e) {
                        if (e.errno() != Errno.ENOENT) {
                            throw e;
                        }
                    }
                }
                System.out.print(out.any() ? w.endArray().finish() : text.toString());
                return 0;
            });
        }
    }

    /** A subcommand that works on one map: parses MAP, then what follows. */
    abstract static class OnMap implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        JsonOptions out = new JsonOptions();

        @Parameters(paramLabel = "ARGS", arity = "1..*", description = "MAP, then the subcommand's arguments.")
        List<String> args;

        @Override
        public Integer call() {
            return KernelCli.guarded(spec, () -> {
                KernelCli.Ref r = KernelCli.ref(args, 0, "map");
                try (KernelMap m = KernelCli.openMap(r)) {
                    return run(m, args.subList(r.used(), args.size()));
                }
            });
        }

        abstract int run(KernelMap m, List<String> rest);

        static void noMore(List<String> rest, int used) {
            if (rest.size() > used) {
                throw new KernelCli.UserError("unexpected argument '" + rest.get(used) + "'");
            }
        }

        static byte[] key(KernelMap m, List<String> rest, String... stop) {
            if (rest.isEmpty() || !rest.get(0).equals("key")) {
                throw new KernelCli.UserError("expected 'key' and " + m.keySize() + " bytes, e.g. key"
                        + " 0x01".repeat(Math.max(1, Math.min(m.keySize(), 4))) + (m.keySize() > 4 ? " ..." : ""));
            }
            KernelCli.Parsed k = KernelCli.bytes(rest, 1, m.keySize(), "key", List.of(stop));
            if (1 + k.used() < rest.size() && stop.length == 0) {
                noMore(rest, 1 + k.used());
            }
            return k.bytes();
        }

        static int keyArgs(List<String> rest, List<String> stop) {
            int i = 1;
            while (i < rest.size() && !stop.contains(rest.get(i))) {
                i++;
            }
            return i;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One map's type, sizes and ids.")
    static final class ShowMap extends OnMap {
        @Override
        int run(KernelMap m, List<String> rest) {
            noMore(rest, 0);
            FdInfo fi = FdInfo.of(m.fd().get());
            if (out.any()) {
                Json w = new Json(out.pretty);
                KernelCli.showMapJson(w, m.info(), fi);
                System.out.print(w.finish());
            } else {
                StringBuilder s = new StringBuilder();
                KernelCli.showMap(s, m.info(), fi);
                System.out.print(s);
            }
            return 0;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Every element of a map.", "",
                "Example:  bpf4j kernel map dump -j pinned /sys/fs/bpf/protocount/protocount_map"})
    static final class Dump extends OnMap {
        @Override
        int run(KernelMap m, List<String> rest) {
            noMore(rest, 0);
            if (out.any()) {
                System.out.print(m.dumpJson(out.pretty));
                return 0;
            }
            StringBuilder s = new StringBuilder();
            int n = 0;
            for (byte[] key : m.keys()) {
                Optional<byte[]> v;
                try {
                    v = m.lookup(key);
                } catch (BpfSyscallException e) {
                    s.append("key: ").append(KernelCli.hex(key)).append("  value: <").append(org.bpf4j.kernel.sys.Native.strerror(e.errno()))
                            .append(">\n");
                    continue;
                }
                if (v.isEmpty()) {
                    continue;
                }
                s.append(KernelCli.plainEntry(m, key, v.get()));
                n++;
            }
            s.append("Found ").append(n).append(n == 1 ? " element\n" : " elements\n");
            System.out.print(s);
            return 0;
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = {"One element's value.", "", "Example:  bpf4j kernel map lookup id 42 key 6 0 0 0"})
    static final class Lookup extends OnMap {
        @Override
        int run(KernelMap m, List<String> rest) {
            byte[] key = key(m, rest);
            Optional<byte[]> v = m.lookup(key);
            if (v.isEmpty()) {
                throw new KernelCli.UserError("key " + KernelCli.hex(key) + " not found in map " + m.id() + " ("
                        + m.kernelName() + ")");
            }
            if (out.any()) {
                Json w = new Json(out.pretty);
                KernelCli.jsonEntry(w, m, key, v.get());
                System.out.print(w.finish());
            } else {
                System.out.print(KernelCli.plainEntry(m, key, v.get()));
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Sets one element: MAP key BYTES... value BYTES... [any|noexist|exist].",
                "For per-CPU maps the value is given once and set on every CPU, as bpftool does.", "",
                "Example:  bpf4j kernel map update id 42 key 6 0 0 0 value 0x10 0 0 0 0 0 0 0 noexist"})
    static final class Update extends OnMap {
        @Override
        int run(KernelMap m, List<String> rest) {
            List<String> stop = List.of("value");
            byte[] key = key(m, rest, "value");
            int at = keyArgs(rest, stop);
            if (at >= rest.size()) {
                throw new KernelCli.UserError("expected 'value' and " + m.valueSize() + " bytes after the key");
            }
            List<String> flagsWords = List.of("any", "noexist", "exist");
            KernelCli.Parsed value = KernelCli.bytes(rest, at + 1, m.valueSize(), "value", flagsWords);
            int next = at + 1 + value.used();
            long flags = Bpf.ANY;
            if (next < rest.size()) {
                flags = switch (rest.get(next)) {
                    case "any" -> Bpf.ANY;
                    case "noexist" -> Bpf.NOEXIST;
                    default -> Bpf.EXIST;
                };
                noMore(rest, next + 1);
            }
            byte[] v = value.bytes();
            if (m.isPerCpu()) {
                v = m.join(java.util.Collections.nCopies(m.cpus(), v));
            }
            m.update(key, v, flags);
            if (out.any()) {
                System.out.print("null\n");
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Removes one element.", "", "Example:  bpf4j kernel map delete id 42 key 6 0 0 0"})
    static final class Delete extends OnMap {
        @Override
        int run(KernelMap m, List<String> rest) {
            m.delete(key(m, rest));
            if (out.any()) {
                System.out.print("null\n");
            }
            return 0;
        }
    }
}
