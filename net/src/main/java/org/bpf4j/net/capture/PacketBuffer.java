package org.bpf4j.net.capture;

import java.util.Arrays;

/**
 * A reusable, mutable packet for {@link CaptureReader#next(PacketBuffer)}: reading into the same buffer again
 * and again allocates nothing once its array has grown to the largest packet.
 *
 * <p>The captured bytes are {@code array()[0 .. capturedLength())}; the array may be longer, and is replaced
 * when a larger packet arrives, so fetch it again after each read.
 */
public final class PacketBuffer {
    private byte[] array;
    private int capturedLength;
    private int originalLength;
    private long timestampNanos;
    private int interfaceIndex;
    private int linkType;

    public PacketBuffer() {
        this(2048);
    }

    public PacketBuffer(int initialCapacity) {
        array = new byte[Math.max(0, initialCapacity)];
    }

    /** The backing array; the packet is its first {@link #capturedLength()} bytes. */
    public byte[] array() {
        return array;
    }

    public int capturedLength() {
        return capturedLength;
    }

    public int originalLength() {
        return originalLength;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    public int linkType() {
        return linkType;
    }

    /** A copy as an immutable-by-convention {@link Packet}. */
    public Packet toPacket() {
        return new Packet(timestampNanos, Arrays.copyOf(array, capturedLength), originalLength, interfaceIndex, linkType);
    }

    /** Makes room for {@code length} bytes, discarding the content; returns the array to fill. */
    byte[] reserve(int length) {
        if (array.length < length) {
            array = new byte[Math.max(length, Math.min(Math.max(array.length * 2, 64), CaptureReader.MAX_CAPTURED_LENGTH))];
        }
        return array;
    }

    void set(long timestampNanos, int capturedLength, int originalLength, int interfaceIndex, int linkType) {
        this.timestampNanos = timestampNanos;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.interfaceIndex = interfaceIndex;
        this.linkType = linkType;
    }
}
