package org.bpf4j.net.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes packets to a pcap or pcapng capture, little-endian, buffered. The header is written at creation;
 * {@link #close()} flushes and closes the file.
 *
 * <p>pcap files get magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), version 2.4 and snapshot length
 * {@value CaptureReader#MAX_CAPTURED_LENGTH}. pcapng files get one Section Header Block, one Interface
 * Description Block per interface (with {@code if_tsresol} = 9 for nanoseconds, none for the default
 * microseconds) and Enhanced Packet Blocks.
 *
 * <p>Timestamps are truncated (toward the past) to microseconds in microsecond files; they must not precede
 * 1970, nor, in pcap files, exceed the 32-bit seconds field (2106). Not thread-safe.
 */
public abstract sealed class CaptureWriter implements Closeable, Flushable permits PcapWriter, PcapngWriter {
    final OutputStream out;
    final boolean nanos;
    final int[] linkTypes;
    private final byte[] scratch = new byte[32];
    private long count;
    private boolean closed;

    CaptureWriter(OutputStream out, boolean nanos, int[] linkTypes) {
        this.out = out;
        this.nanos = nanos;
        this.linkTypes = linkTypes;
    }

    /** Creates (or replaces) a pcap file. */
    public static CaptureWriter pcap(Path path, int linkType, boolean nanos) throws IOException {
        return open(path, out -> pcap(out, linkType, nanos));
    }

    /** Writes a pcap capture to a stream, which the writer closes. */
    public static CaptureWriter pcap(OutputStream out, int linkType, boolean nanos) throws IOException {
        checkLinkType(linkType);
        var writer = new PcapWriter(buffered(out), linkType, nanos);
        writer.writeHeader();
        return writer;
    }

    /** Creates (or replaces) a pcapng file with one interface. */
    public static CaptureWriter pcapng(Path path, int linkType, boolean nanos) throws IOException {
        return pcapng(path, nanos, linkType);
    }

    /** Creates (or replaces) a pcapng file with one interface per link type given, numbered from 0. */
    public static CaptureWriter pcapng(Path path, boolean nanos, int... interfaceLinkTypes) throws IOException {
        return open(path, out -> pcapng(out, nanos, interfaceLinkTypes));
    }

    /** Writes a pcapng capture with one interface per link type given to a stream, which the writer closes. */
    public static CaptureWriter pcapng(OutputStream out, boolean nanos, int... interfaceLinkTypes) throws IOException {
        if (interfaceLinkTypes.length == 0) {
            throw new IllegalArgumentException("a pcapng capture needs at least one interface");
        }
        for (int t : interfaceLinkTypes) {
            checkLinkType(t);
        }
        var writer = new PcapngWriter(buffered(out), nanos, interfaceLinkTypes.clone());
        writer.writeHeader();
        return writer;
    }

    private interface Factory {
        CaptureWriter create(OutputStream out) throws IOException;
    }

    private static CaptureWriter open(Path path, Factory factory) throws IOException {
        OutputStream out = Files.newOutputStream(path);
        try {
            return factory.create(out);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static OutputStream buffered(OutputStream out) {
        return new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16);
    }

    private static void checkLinkType(int linkType) {
        if (linkType < 0 || linkType > 0xffff) {
            throw new IllegalArgumentException("link type " + linkType + " is not a 16-bit value");
        }
    }

    /** The format written. */
    public abstract CaptureFormat format();

    /** Whether timestamps are written in nanoseconds rather than microseconds. */
    public boolean nanosecond() {
        return nanos;
    }

    /** The number of packets written so far. */
    public long packetsWritten() {
        return count;
    }

    /**
     * Writes a packet: its interface index must be one of the file's interfaces (0 for pcap) and its link type
     * that interface's.
     */
    public void write(Packet packet) throws IOException {
        write(packet.interfaceIndex(), packet.linkType(), packet.timestampNanos(), packet.data(), 0,
                packet.data().length, packet.originalLength());
    }

    /** Writes a whole packet captured on interface 0. */
    public void write(long timestampNanos, byte[] data) throws IOException {
        write(0, timestampNanos, data, 0, data.length, data.length);
    }

    /** Writes {@code data[offset .. offset + length)}, a packet of {@code originalLength} bytes on the wire. */
    public void write(int interfaceIndex, long timestampNanos, byte[] data, int offset, int length, int originalLength)
            throws IOException {
        if (interfaceIndex < 0 || interfaceIndex >= linkTypes.length) {
            throw new IllegalArgumentException("no interface " + interfaceIndex + " in this capture, which has "
                    + linkTypes.length);
        }
        write(interfaceIndex, linkTypes[interfaceIndex], timestampNanos, data, offset, length, originalLength);
    }

    private void write(int interfaceIndex, int linkType, long timestampNanos, byte[] data, int offset, int length,
            int originalLength) throws IOException {
        if (closed) {
            throw new IllegalStateException("the capture writer is closed");
        }
        Objects.checkFromIndexSize(offset, length, data.length);
        if (interfaceIndex < 0 || interfaceIndex >= linkTypes.length) {
            throw new IllegalArgumentException("no interface " + interfaceIndex + " in this capture, which has "
                    + linkTypes.length);
        }
        if (linkTypes[interfaceIndex] != linkType) {
            throw new IllegalArgumentException("packet of link type " + LinkType.name(linkType) + " on interface "
                    + interfaceIndex + " of link type " + LinkType.name(linkTypes[interfaceIndex]));
        }
        if (length > CaptureReader.MAX_CAPTURED_LENGTH) {
            throw new IllegalArgumentException("captured length " + length + " exceeds the snapshot length "
                    + CaptureReader.MAX_CAPTURED_LENGTH);
        }
        if (originalLength < length) {
            throw new IllegalArgumentException("original length " + originalLength + " is less than the captured "
                    + "length " + length);
        }
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("timestamp " + timestampNanos + " precedes 1970");
        }
        long units = nanos ? timestampNanos : timestampNanos / 1_000L;
        writeRecord(interfaceIndex, units, data, offset, length, originalLength);
        count++;
    }

    /** Writes one record, the timestamp in the file's units. */
    abstract void writeRecord(int interfaceIndex, long units, byte[] data, int offset, int length, int originalLength)
            throws IOException;

    abstract void writeHeader() throws IOException;

    // ---- little-endian output ----

    void u16(int at, int v) {
        scratch[at] = (byte) v;
        scratch[at + 1] = (byte) (v >>> 8);
    }

    void u32(int at, long v) {
        for (int i = 0; i < 4; i++) {
            scratch[at + i] = (byte) (v >>> (8 * i));
        }
    }

    void i64(int at, long v) {
        for (int i = 0; i < 8; i++) {
            scratch[at + i] = (byte) (v >>> (8 * i));
        }
    }

    void emit(int length) throws IOException {
        out.write(scratch, 0, length);
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
