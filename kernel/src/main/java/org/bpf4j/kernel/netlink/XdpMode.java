package org.bpf4j.kernel.netlink;

/** Where an XDP program runs, as {@code ip link set dev X xdpgeneric|xdpdrv|xdpoffload}. */
public enum XdpMode {
    /** In the network stack, after the skb is built: works on every device. */
    GENERIC(2),
    /** In the driver, before any allocation: needs driver support. */
    NATIVE(4),
    /** On the NIC: needs hardware support. */
    OFFLOAD(8);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The XDP_FLAGS_*_MODE bit. */
    public int flag() {
        return flag;
    }

    /** The mode an IFLA_XDP_ATTACHED value reports, or null. */
    static XdpMode ofAttached(int attached) {
        return switch (attached) {
            case 1 -> NATIVE;
            case 2 -> GENERIC;
            case 3 -> OFFLOAD;
            default -> null;
        };
    }
}
