package org.bpf4j.net.capture;

/**
 * Link-layer header types (LINKTYPE_ values) the project knows by name. Any other number is carried
 * through unchanged by readers and writers.
 */
public final class LinkType {
    private LinkType() {}

    /** LINKTYPE_ETHERNET: IEEE 802.3 Ethernet frames. */
    public static final int ETHERNET = 1;
    /** LINKTYPE_RAW: a raw IPv4 or IPv6 packet, the version told by its first nibble. */
    public static final int RAW = 101;
    /** LINKTYPE_IPV4: a raw IPv4 packet. */
    public static final int IPV4 = 228;
    /** LINKTYPE_IPV6: a raw IPv6 packet. */
    public static final int IPV6 = 229;

    /** Whether packets of this link type start with an IP header (101, 228 or 229). */
    public static boolean isRawIp(int linkType) {
        return linkType == RAW || linkType == IPV4 || linkType == IPV6;
    }

    /** A short name, such as {@code ETHERNET}, or {@code LINKTYPE_<n>} for the ones not named here. */
    public static String name(int linkType) {
        return switch (linkType) {
            case ETHERNET -> "ETHERNET";
            case RAW -> "RAW";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            default -> "LINKTYPE_" + linkType;
        };
    }
}
