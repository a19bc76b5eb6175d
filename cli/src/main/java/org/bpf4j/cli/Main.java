package org.bpf4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bpf4j} command. */
@Command(name = "bpf4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Fast packet processing with eBPF and XDP, for the JVM.",
        subcommands = {RunCommand.class, BenchCommand.class, ObjdumpCommand.class, AsmCommand.class, ExecCommand.class, ConformanceCommand.class,
                ConformancePluginCommand.class, org.bpf4j.cli.kernel.KernelCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: errors as one line on stderr, exit status 1 (2 for usage errors). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // The suite's runner passes its plugin options as one argument that may start with "--".
        cl.getSubcommands().get("conformance-plugin").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("bpf4j " + cmd.getCommandName() + ": " + Errors.describe(e));
            if (System.getenv("BPF4J_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"bpf4j " + (v == null ? "development build" : v),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
