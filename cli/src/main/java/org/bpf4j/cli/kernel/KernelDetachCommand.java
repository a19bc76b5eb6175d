package org.bpf4j.cli.kernel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpf4j.kernel.attach.Attach;
import org.bpf4j.kernel.attach.LinkAttachment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "detach", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Detach what bpf4j kernel attach attached: over netlink, or the bpf_link pinned at --link.", "",
            "Examples:",
            "  bpf4j kernel detach xdp veth0 --mode generic",
            "  bpf4j kernel detach tc veth0 --direction ingress",
            "  bpf4j kernel detach xdp veth0 --link /sys/fs/bpf/pc-link"})
final class KernelDetachCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOOK", description = "xdp or tc.")
    String hook;

    @Parameters(index = "1", paramLabel = "IFACE", description = "The interface.")
    String iface;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "generic",
            description = "xdp: generic, native or offload (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "ingress",
            description = "tc: ingress or egress (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--link", paramLabel = "PATH", description = "Detach the bpf_link pinned at PATH (and unpin it).")
    Path link;

    @Override
    public Integer call() {
        return KernelCli.guarded(spec, this::detach);
    }

    private int detach() throws Exception {
        if (link != null) {
            try (LinkAttachment a = LinkAttachment.openPinned(link)) {
                a.detach();
                java.nio.file.Files.deleteIfExists(link);
            }
        } else {
            switch (hook.toLowerCase(Locale.ROOT)) {
                case "xdp" -> Attach.detachXdp(iface, KernelAttachCommand.xdpMode(mode));
                case "tc" -> Attach.detachTc(iface, KernelAttachCommand.direction(direction));
                default -> throw new IllegalArgumentException("unknown hook " + hook + " (xdp or tc)");
            }
        }
        System.out.println("detached " + hook + " from " + iface);
        return 0;
    }
}
