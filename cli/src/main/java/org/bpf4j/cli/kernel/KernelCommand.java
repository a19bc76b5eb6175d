package org.bpf4j.cli.kernel;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bpf4j kernel}: the same objects, loaded into Linux through bpf(2). */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {"Load, attach, inspect and test-run BPF objects in the Linux kernel, through bpf(2) and netlink.",
            "Needs root (or CAP_BPF and CAP_NET_ADMIN). Output with -j is shaped like bpftool's.", "",
            "Examples:",
            "  bpf4j kernel load examples/obj/protocount.o --pin /sys/fs/bpf/protocount",
            "  bpf4j kernel attach xdp veth0 examples/obj/portfilter.o --mode generic",
            "  bpf4j kernel detach xdp veth0",
            "  bpf4j kernel prog list",
            "  bpf4j kernel map dump pinned /sys/fs/bpf/protocount/protocount_map",
            "  bpf4j kernel map update id 42 key 0x06 0 0 0 value 1 0 0 0 0 0 0 0",
            "  bpf4j kernel test-run examples/obj/portfilter.o --pcap examples/captures/mixed.pcap --repeat 100"},
        subcommands = {KernelLoadCommand.class, KernelAttachCommand.class, KernelDetachCommand.class,
            KernelProgCommand.class, KernelMapCommand.class,
            KernelTestRunCommand.class, CommandLine.HelpCommand.class})
public final class KernelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
