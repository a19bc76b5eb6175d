package org.bpf4j.cli.kernel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.kernel.KernelObject;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.kernel.attach.Attach;
import org.bpf4j.kernel.attach.Attachment;
import org.bpf4j.kernel.netlink.XdpMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load an object and attach one of its programs to an interface, as ip link … xdp and tc do.",
            "By default over netlink (IFLA_XDP; a clsact qdisc with a direct-action bpf filter for tc), where the",
            "program stays until detached. With --link PATH, through a bpf_link (XDP or tcx) pinned at PATH.",
            "With --pin DIR, the programs and maps are pinned too, so their maps can be read afterwards.", "",
            "Examples:",
            "  bpf4j kernel attach xdp veth0 examples/obj/portfilter.o --mode generic",
            "  bpf4j kernel attach tc veth0 examples/obj/tcmarker.o --direction ingress",
            "  bpf4j kernel attach xdp veth0 examples/obj/protocount.o --link /sys/fs/bpf/pc-link --pin /sys/fs/bpf/pc"})
final class KernelAttachCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOOK", description = "xdp or tc.")
    String hook;

    @Parameters(index = "1", paramLabel = "IFACE", description = "The interface, e.g. veth0.")
    String iface;

    @Parameters(index = "2", paramLabel = "OBJ", description = "A BPF object.")
    Path object;

    @Option(names = {"-s", "--section"}, paramLabel = "S", description = "Attach the first program of this section.")
    String section;

    @Option(names = {"-p", "--program"}, paramLabel = "P", description = "Attach the program with this name.")
    String program;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "generic",
            description = "xdp: generic, native or offload (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "ingress",
            description = "tc: ingress or egress (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--replace", description = "xdp over netlink: replace a program that is attached already.")
    boolean replace;

    @Option(names = "--link", paramLabel = "PATH", description = "Attach through a bpf_link (tcx for tc) pinned at PATH.")
    Path link;

    @Option(names = "--pin", paramLabel = "DIR", description = "Pin the object's programs and maps under DIR.")
    Path pin;

    @Override
    public Integer call() {
        return KernelCli.guarded(spec, this::attach);
    }

    private int attach() throws Exception {
        BpfObject obj = ObjectReader.read(object);
        try (KernelObject k = KernelObject.load(obj)) {
            KernelProgram p = choose(k);
            Attach.Via via = link != null ? Attach.Via.LINK : Attach.Via.NETLINK;
            Attachment a = switch (hook.toLowerCase(Locale.ROOT)) {
                case "xdp" -> Attach.xdp(p, iface, xdpMode(mode), via, replace);
                case "tc" -> Attach.tc(p, iface, direction(direction), via);
                default -> throw new IllegalArgumentException("unknown hook " + hook + " (xdp or tc)");
            };
            try (a) {
                if (link != null) {
                    a.pin(link);
                }
                if (pin != null) {
                    k.pin(pin);
                }
            }
            System.out.println("attached " + a.description() + (link != null ? ", link pinned at " + link : "")
                    + (pin != null ? "; programs and maps pinned under " + pin : ""));
        }
        return 0;
    }

    private KernelProgram choose(KernelObject k) {
        if (program != null) {
            return k.programs().stream().filter(p -> p.name().equals(program)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no program " + program + " in " + object));
        }
        if (section != null) {
            return k.programs().stream().filter(p -> p.spec().map(s -> s.section().equals(section)).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no program in section " + section));
        }
        if (k.programs().isEmpty()) {
            throw new IllegalArgumentException(object + " has no programs");
        }
        return k.programs().get(0);
    }

    static XdpMode xdpMode(String m) {
        return switch (m.toLowerCase(Locale.ROOT)) {
            case "generic", "skb", "xdpgeneric" -> XdpMode.GENERIC;
            case "native", "drv", "xdpdrv" -> XdpMode.NATIVE;
            case "offload", "hw", "xdpoffload" -> XdpMode.OFFLOAD;
            default -> throw new IllegalArgumentException("unknown XDP mode " + m + " (generic, native or offload)");
        };
    }

    static Attach.Direction direction(String d) {
        return switch (d.toLowerCase(Locale.ROOT)) {
            case "ingress" -> Attach.Direction.INGRESS;
            case "egress" -> Attach.Direction.EGRESS;
            default -> throw new IllegalArgumentException("unknown direction " + d + " (ingress or egress)");
        };
    }
}
