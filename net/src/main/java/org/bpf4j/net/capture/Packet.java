package org.bpf4j.net.capture;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One captured packet.
 *
 * <p>The {@code data} array is held as given, not copied: treat it as read-only. Equality compares its content.
 *
 * @param timestampNanos when it was captured, in nanoseconds since 1970-01-01T00:00:00Z
 * @param data the captured bytes, starting with the link-layer header of {@code linkType}
 * @param originalLength its length on the wire, at least {@code data.length}
 * @param interfaceIndex which interface captured it: 0 in pcap files; in pcapng files the interface's index among
 *     all Interface Description Blocks of the file, counted across sections (as Wireshark numbers them)
 * @param linkType its {@link LinkType} number
 */
public record Packet(long timestampNanos, byte[] data, int originalLength, int interfaceIndex, int linkType) {
    public Packet {
        Objects.requireNonNull(data, "data");
        if (originalLength < data.length) {
            throw new IllegalArgumentException(
                    "original length " + originalLength + " is less than the captured length " + data.length);
        }
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("negative interface index " + interfaceIndex);
        }
    }

    /** A packet captured whole on interface 0. */
    public static Packet of(long timestampNanos, int linkType, byte[] data) {
        return new Packet(timestampNanos, data, data.length, 0, linkType);
    }

    /** The timestamp as an {@link Instant}. */
    public Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampNanos, 1_000_000_000L),
                Math.floorMod(timestampNanos, 1_000_000_000L));
    }

    /** The number of bytes captured, {@code data().length}. */
    public int capturedLength() {
        return data.length;
    }

    /** Whether fewer bytes were captured than were on the wire. */
    public boolean truncated() {
        return data.length < originalLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p
                && p.timestampNanos == timestampNanos
                && p.originalLength == originalLength
                && p.interfaceIndex == interfaceIndex
                && p.linkType == linkType
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampNanos, originalLength, interfaceIndex, linkType) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 32));
        return "Packet[" + timestamp() + ", " + data.length + "/" + originalLength + " bytes, interface "
                + interfaceIndex + ", " + LinkType.name(linkType) + ", " + hex + (data.length > 32 ? "…]" : "]");
    }
}
