package org.bpf4j.kernel.attach;

import java.util.Locale;
import java.util.Optional;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.KernelProgram;
import org.bpf4j.kernel.netlink.Interfaces;
import org.bpf4j.kernel.netlink.NetlinkException;
import org.bpf4j.kernel.netlink.NetlinkSocket;
import org.bpf4j.kernel.netlink.RtNetlink;
import org.bpf4j.kernel.netlink.XdpMode;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;

/**
 * Attaching programs to interfaces, in the words of {@code ip link … xdp} and {@code tc}: XDP through a
 * {@code bpf_link} or netlink (IFLA_XDP), TC through a tcx link or a clsact qdisc with a direct-action bpf filter.
 * Failures name the interface and say what to do about the usual causes.
 *
 * <pre>{@code
 * try (Attachment a = Attach.xdp(obj.program("portfilter").orElseThrow(), "veth0", XdpMode.GENERIC, Attach.Via.LINK, false)) {
 *     ...                                   // attached until closed
 * }
 * }</pre>
 */
public final class Attach {
    private Attach() {}

    /** How to attach. */
    public enum Via {
        /** A bpf_link: detached when its last fd closes, unless pinned. XDP and tcx. */
        LINK,
        /** rtnetlink: stays until detached, as ip link and tc leave it. XDP (IFLA_XDP) and TC (clsact + bpf filter). */
        NETLINK
    }

    /** The direction of a TC attachment. */
    public enum Direction { INGRESS, EGRESS }

    /** Filter priority and handle of the bpf filters bpf4j adds (as {@code tc filter … prio 1 handle 1}). */
    public static final int TC_PRIORITY = 1, TC_HANDLE = 1;

    /** Attaches an XDP program; {@code replace} swaps out a program already attached (netlink only). */
    public static Attachment xdp(KernelProgram program, String iface, XdpMode mode, Via via, boolean replace) {
        requireType(program, ProgramType.XDP, "xdp");
        int ifindex = Interfaces.index(iface);
        String what = program.name() + " on " + iface + " (xdp, " + mode.name().toLowerCase(Locale.ROOT) + ", "
                + (via == Via.LINK ? "bpf_link" : "netlink") + ")";
        try {
            if (via == Via.LINK) {
                return new LinkAttachment(Bpf.linkCreate(Bpf.LinkCreate.of(program.fd().get(), ifindex, Bpf.ATTACH_XDP,
                        mode.flag())), what);
            }
            try (NetlinkSocket nl = new NetlinkSocket()) {
                RtNetlink.attachXdp(nl, ifindex, program.fd().get(), mode, replace, -1);
            }
            return new NetlinkAttachment(what, () -> detachXdp(iface, mode));
        } catch (NetlinkException e) {
            throw explain(iface, mode, e.errno(), e.getMessage(), e.reason());
        } catch (BpfSyscallException e) {
            throw explain(iface, mode, e.errno(), e.getMessage(), null);
        }
    }

    /** Detaches the XDP program a mode runs on an interface (netlink-attached programs). */
    public static void detachXdp(String iface, XdpMode mode) {
        int ifindex = Interfaces.index(iface);
        try (NetlinkSocket nl = new NetlinkSocket()) {
            RtNetlink.detachXdp(nl, ifindex, mode);
        }
    }

    /** What XDP program an interface runs, if any. */
    public static Optional<RtNetlink.XdpAttachment> xdpOf(String iface) {
        try (NetlinkSocket nl = new NetlinkSocket()) {
            return RtNetlink.queryXdp(nl, Interfaces.index(iface));
        }
    }

    /** Attaches a TC program: a tcx link ({@link Via#LINK}) or a clsact qdisc's bpf filter ({@link Via#NETLINK}). */
    public static Attachment tc(KernelProgram program, String iface, Direction direction, Via via) {
        if (program.type() != ProgramType.SCHED_CLS && program.type() != ProgramType.SCHED_ACT) {
            throw new IllegalArgumentException(program.name() + " is a " + program.type() + " program: tc takes "
                    + "programs of sections tc, classifier or tcx/*");
        }
        int ifindex = Interfaces.index(iface);
        boolean ingress = direction == Direction.INGRESS;
        String dir = direction.name().toLowerCase(Locale.ROOT);
        try {
            if (via == Via.LINK) {
                int type = ingress ? Bpf.ATTACH_TCX_INGRESS : Bpf.ATTACH_TCX_EGRESS;
                return new LinkAttachment(Bpf.linkCreate(Bpf.LinkCreate.of(program.fd().get(), ifindex, type, 0)),
                        program.name() + " on " + iface + " (tc " + dir + ", tcx link)");
            }
            try (NetlinkSocket nl = new NetlinkSocket()) {
                RtNetlink.addClsact(nl, ifindex);
                RtNetlink.addBpfFilter(nl, ifindex, ingress, program.fd().get(), program.name(), TC_PRIORITY, TC_HANDLE);
            }
            return new NetlinkAttachment(program.name() + " on " + iface + " (tc " + dir + ", clsact bpf filter)",
                    () -> detachTc(iface, direction));
        } catch (NetlinkException e) {
            throw new IllegalStateException("cannot attach " + program.name() + " to " + iface + " " + dir + ": "
                    + (e.errno() == Errno.EEXIST ? "a filter with priority " + TC_PRIORITY + " and handle " + TC_HANDLE
                            + " is there already (bpf4j kernel detach tc " + iface + " first)" : e.getMessage()), e);
        } catch (BpfSyscallException e) {
            throw new IllegalStateException("cannot attach " + program.name() + " to " + iface + " " + dir + ": "
                    + (e.errno() == Errno.EINVAL ? "this kernel has no tcx (Linux 6.6+): use netlink (clsact)"
                            : e.getMessage()), e);
        }
    }

    /** Removes bpf4j's bpf filter from a clsact qdisc, and the qdisc when nothing else is on it. */
    public static void detachTc(String iface, Direction direction) {
        int ifindex = Interfaces.index(iface);
        try (NetlinkSocket nl = new NetlinkSocket()) {
            RtNetlink.deleteBpfFilter(nl, ifindex, direction == Direction.INGRESS, TC_PRIORITY, TC_HANDLE);
        }
    }

    private static void requireType(KernelProgram p, ProgramType type, String hook) {
        if (p.type() != type) {
            throw new IllegalArgumentException(p.name() + " is a " + p.type() + " program; " + hook + " needs " + type);
        }
    }

    private static IllegalStateException explain(String iface, XdpMode mode, int errno, String message, String reason) {
        String hint = switch (errno) {
            case Errno.EBUSY, Errno.EEXIST -> "a program is attached already"
                    + xdpOf(iface).map(a -> " (id " + a.programId() + ", " + a.mode().name().toLowerCase(Locale.ROOT) + ")")
                    .orElse("") + ": detach it (bpf4j kernel detach xdp " + iface + ") or use --replace";
            case Errno.EOPNOTSUPP, Errno.ENOTSUPP -> mode == XdpMode.GENERIC ? message
                    : "the driver of " + iface + " has no " + mode.name().toLowerCase(Locale.ROOT) + " XDP: use --mode generic";
            case Errno.EINVAL -> reason != null && reason.toLowerCase(Locale.ROOT).contains("mtu")
                    ? "the MTU of " + iface + " (" + Interfaces.mtu(iface) + ") is too large for XDP: lower it (ip link set "
                            + iface + " mtu 1500) " + "or use a program of section xdp.frags"
                    : message;
            default -> message;
        };
        return new IllegalStateException("cannot attach to " + iface + ": " + hint
                + (reason != null && !hint.contains(reason) ? " (kernel: " + reason + ")" : ""));
    }
}
