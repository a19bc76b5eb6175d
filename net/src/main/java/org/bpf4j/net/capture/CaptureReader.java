package org.bpf4j.net.capture;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads packets from a pcap or pcapng capture, one at a time, without loading the file: the format is told by
 * its first four bytes.
 *
 * <pre>{@code
 * try (var reader = CaptureReader.open(path)) {
 *     for (Packet p : reader) { ... }            // or: Packet p; while ((p = reader.next()) != null) { ... }
 * }
 * var buffer = new PacketBuffer();               // allocation-free loop
 * while (reader.next(buffer)) { use(buffer.array(), buffer.capturedLength()); }
 * }</pre>
 *
 * <p>Malformed content is reported by a {@link CaptureFormatException} naming the file, the byte offset and the
 * fault, and by nothing else: no other runtime exception, no unbounded allocation (a packet is at most
 * {@link #MAX_CAPTURED_LENGTH} bytes; other blocks are streamed through, never buffered) and no endless loop
 * (every block read consumes at least 12 bytes). Once a reader has thrown one, every later read throws it again.
 * A file that ends in the middle of a record is handled according to its {@link TruncationPolicy}.
 *
 * <p>Iteration through {@link #iterator()} or {@link #stream()} wraps the exceptions in
 * {@link UncheckedIOException}s, whose cause is the {@link CaptureFormatException} or {@link IOException}.
 *
 * <p>Not thread-safe.
 */
public abstract sealed class CaptureReader implements Closeable, Iterable<Packet> permits PcapReader, PcapngReader {
    /** The largest captured length accepted, 256 KiB (libpcap's largest snapshot length). */
    public static final int MAX_CAPTURED_LENGTH = 256 * 1024;

    static final int PCAP_MICROS = 0xa1b2c3d4;
    static final int PCAP_NANOS = 0xa1b23c4d;
    static final int PCAPNG_SHB = 0x0a0d0d0a;

    final Input in;
    final String source;
    final TruncationPolicy truncation;
    private final List<String> warnings = new ArrayList<>();
    private final PacketBuffer scratch = new PacketBuffer();
    private CaptureFormatException failure;
    private boolean ended;

    CaptureReader(Input in, String source, TruncationPolicy truncation) {
        this.in = in;
        this.source = source;
        this.truncation = truncation;
    }

    /** Opens a capture file, failing on a truncated final record. */
    public static CaptureReader open(Path path) throws IOException {
        return open(path, TruncationPolicy.FAIL);
    }

    /** Opens a capture file with the given handling of a truncated final record. */
    public static CaptureReader open(Path path, TruncationPolicy truncation) throws IOException {
        InputStream stream = Files.newInputStream(path);
        try {
            return open(stream, path.toString(), truncation);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** Reads a capture from a stream, which the reader closes; {@code name} is used in error messages. */
    public static CaptureReader open(InputStream stream, String name, TruncationPolicy truncation) throws IOException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(truncation, "truncation");
        Input in = new Input(stream);
        int got = in.fill(4);
        if (got < 4) {
            throw new CaptureFormatException(name, 0, got == 0 ? "empty file: no pcap or pcapng header"
                    : "truncated file header: " + got + " bytes, too short for a pcap or pcapng magic number");
        }
        int le = in.i32(0, ByteOrder.LITTLE_ENDIAN);
        int be = in.i32(0, ByteOrder.BIG_ENDIAN);
        if (le == PCAPNG_SHB) {
            return new PcapngReader(in, name, truncation);
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int magic = order == ByteOrder.LITTLE_ENDIAN ? le : be;
            if (magic == PCAP_MICROS || magic == PCAP_NANOS) {
                return new PcapReader(in, name, truncation, order, magic == PCAP_NANOS);
            }
        }
        String hint = le == 0xa1b2cd34 || be == 0xa1b2cd34 ? " (the modified pcap of Alexey Kuznetsov is not supported)"
                : "";
        throw new CaptureFormatException(name, 0, String.format(
                "bad magic number 0x%08x: not a pcap (a1b2c3d4, a1b23c4d) or pcapng (0a0d0d0a) file%s", be, hint));
    }

    /** Reads a capture held in memory; {@code name} is used in error messages. */
    public static CaptureReader open(byte[] bytes, String name, TruncationPolicy truncation) throws IOException {
        return open(new ByteArrayInputStream(bytes), name, truncation);
    }

    /** Reads every packet of a capture file into a list. */
    public static List<Packet> readAll(Path path) throws IOException {
        try (CaptureReader reader = open(path)) {
            List<Packet> packets = new ArrayList<>();
            for (Packet p; (p = reader.next()) != null; ) {
                packets.add(p);
            }
            return packets;
        }
    }

    /** The format of the file. */
    public abstract CaptureFormat format();

    /** The byte order of the file header, or of the current pcapng section. */
    public abstract ByteOrder byteOrder();

    /** The interfaces described so far: pcapng files describe them as they go. */
    public abstract List<CaptureInterface> interfaces();

    /** The byte offset of the next record or block to read. */
    public long offset() {
        return in.position();
    }

    /**
     * Warnings about content that was tolerated, such as a truncated final record under
     * {@link TruncationPolicy#WARN}; empty for a well-formed file.
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The next packet, or null at the end of the capture. */
    public Packet next() throws IOException {
        return next(scratch) ? scratch.toPacket() : null;
    }

    /**
     * Reads the next packet into a reusable buffer; returns false at the end of the capture. Allocates nothing
     * once the buffer's array is large enough.
     */
    public boolean next(PacketBuffer into) throws IOException {
        Objects.requireNonNull(into, "into");
        if (failure != null) {
            throw failure;
        }
        if (ended) {
            return false;
        }
        try {
            if (readRecord(into)) {
                return true;
            }
            ended = true;
            return false;
        } catch (Truncated t) {
            if (truncation == TruncationPolicy.WARN) {
                warnings.add(t.exception.getMessage());
                ended = true;
                return false;
            }
            failure = t.exception;
            throw failure;
        } catch (CaptureFormatException e) {
            failure = e;
            throw e;
        }
    }

    /** Reads one packet into {@code into}, skipping other records; false at a clean end of file. */
    abstract boolean readRecord(PacketBuffer into) throws IOException;

    @Override
    public Iterator<Packet> iterator() {
        return new Iterator<>() {
            private Packet next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = CaptureReader.this.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public Packet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Packet p = next;
                next = null;
                return p;
            }
        };
    }

    /** The remaining packets as a sequential stream; closing the stream does not close the reader. */
    public Stream<Packet> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED
                | Spliterator.NONNULL), false);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---- helpers for the two formats ----

    /** A cut at the end of the file, tolerated or not according to the policy. */
    static final class Truncated extends IOException {
        final CaptureFormatException exception;

        Truncated(CaptureFormatException exception) {
            super(exception.getMessage());
            this.exception = exception;
        }
    }

    CaptureFormatException malformed(long offset, String problem) {
        return new CaptureFormatException(source, offset, problem);
    }

    Truncated truncated(long recordOffset, String what, long needed, long got) {
        return new Truncated(malformed(recordOffset, "truncated " + what + " at the end of the file: "
                + needed + " bytes needed, only " + got + " present"));
    }

    /** Makes {@code n} bytes available for the record starting at {@code start}, or reports it cut. */
    void require(long start, int n, String what) throws IOException {
        int got = in.fill(n);
        if (got < n) {
            throw truncated(start, what, n + (in.position() - start), got + (in.position() - start));
        }
    }

    /** Reads the packet bytes of a record starting at {@code start}. */
    byte[] readData(PacketBuffer into, long start, int length, String what, long recordLength) throws IOException {
        byte[] data = into.reserve(length);
        long before = in.position() - start;
        int got = in.read(data, 0, length);
        if (got < length) {
            throw truncated(start, what, recordLength, before + got);
        }
        return data;
    }

    void skipOrCut(long start, long n, String what, long recordLength) throws IOException {
        long before = in.position() - start;
        long got = in.skip(n);
        if (got < n) {
            throw truncated(start, what, recordLength, before + got);
        }
    }

    void checkCapturedLength(long at, long captured, long original, long snapLength) throws CaptureFormatException {
        if (captured > MAX_CAPTURED_LENGTH) {
            throw malformed(at, "captured length " + captured + " is absurd (more than " + MAX_CAPTURED_LENGTH + ")");
        }
        if (snapLength > 0 && captured > snapLength) {
            throw malformed(at, "captured length " + captured + " exceeds the snapshot length " + snapLength);
        }
        if (original > Integer.MAX_VALUE) {
            throw malformed(at, "original length " + original + " is absurd (more than 2^31 - 1)");
        }
        if (captured > original) {
            throw malformed(at, "captured length " + captured + " exceeds the original length " + original);
        }
    }
}
