package org.bpf4j.cli.kernel;

import java.util.List;
import java.util.concurrent.Callable;
import org.bpf4j.core.api.Json;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.FdInfo;
import org.bpf4j.kernel.sys.ProgInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prog", mixinStandardHelpOptions = true,
        description = "Programs loaded in the kernel, as bpftool prog shows them.",
        subcommands = {KernelProgCommand.ListPrograms.class, KernelProgCommand.ShowProgram.class, CommandLine.HelpCommand.class})
final class KernelProgCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every program in the kernel.")
    static final class ListPrograms implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-j", "--json"}, description = "JSON, as bpftool -j prints it.")
        boolean json;

        @Option(names = {"-p", "--pretty"}, description = "Pretty JSON, as bpftool -p prints it.")
        boolean pretty;

        @Override
        public Integer call() {
            return KernelCli.guarded(spec, () -> {
                Json w = new Json(pretty).beginArray();
                StringBuilder out = new StringBuilder();
                for (int id : Bpf.ids(BpfCommand.BPF_PROG_GET_NEXT_ID)) {
                    try (Fd fd = Bpf.progFdById(id)) {
                        show(fd, out, w);
                    } catch (BpfSyscallException e) {
                        if (e.errno() != Errno.ENOENT) {
                            throw e;
                        }
                        // unloaded since it was listed
                    }
                }
                System.out.print(json || pretty ? w.endArray().finish() : out.toString());
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"One program: by id (12, or id 12) or pinned path (pinned /sys/fs/bpf/x, or the path).", "",
                "Example:  bpf4j kernel prog show pinned /sys/fs/bpf/portfilter/portfilter"})
    static final class ShowProgram implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "PROG", arity = "1..2", description = "id N | pinned PATH | N | PATH")
        java.util.List<String> ref;

        @Option(names = {"-j", "--json"}, description = "JSON, as bpftool -j prints it.")
        boolean json;

        @Option(names = {"-p", "--pretty"}, description = "Pretty JSON, as bpftool -p prints it.")
        boolean pretty;

        @Override
        public Integer call() {
            return KernelCli.guarded(spec, () -> {
                KernelCli.Ref r = KernelCli.ref(ref, 0, "program");
                if (r.used() != ref.size()) {
                    throw new KernelCli.UserError("unexpected argument '" + ref.get(r.used()) + "'");
                }
                Json w = new Json(pretty);
                StringBuilder out = new StringBuilder();
                try (Fd fd = KernelCli.openProgram(r)) {
                    show(fd, out, w);
                }
                System.out.print(json || pretty ? w.finish() : out.toString());
                return 0;
            });
        }
    }

    static void show(Fd fd, StringBuilder out, Json w) {
        ProgInfo info = Bpf.progInfo(fd.get());
        FdInfo fdInfo = FdInfo.of(fd.get());
        KernelCli.showProgram(out, info, fdInfo);
        KernelCli.showProgramJson(w, info, fdInfo);
    }
}
