package org.bpf4j.net.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The classic pcap format: a 24-byte file header (magic, version 2.4, time zone, sigfigs, snapshot length,
 * link type), then records of a 16-byte header (seconds, microseconds or nanoseconds, captured length,
 * original length) and the captured bytes.
 */
final class PcapReader extends CaptureReader {
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private final ByteOrder order;
    private final boolean nanos;
    private final long snapLength;
    private final int linkType;
    private final CaptureInterface iface;

    PcapReader(Input in, String source, TruncationPolicy truncation, ByteOrder order, boolean nanos)
            throws IOException {
        super(in, source, truncation);
        this.order = order;
        this.nanos = nanos;
        int got = in.fill(FILE_HEADER);
        if (got < FILE_HEADER) {
            throw malformed(0, "truncated pcap file header: " + got + " of " + FILE_HEADER + " bytes");
        }
        int major = in.u16(4, order);
        int minor = in.u16(6, order);
        if (major != 2) {
            throw malformed(4, "unsupported pcap version " + major + "." + minor + " (expected 2.x)");
        }
        snapLength = in.u32(16, order);
        // The link type is the low 16 bits; the upper ones may hold FCS information.
        linkType = in.i32(20, order) & 0xffff;
        in.advance(FILE_HEADER);
        iface = new CaptureInterface(0, 0, linkType, snapLength, nanos ? 9 : 6, 0);
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAP;
    }

    @Override
    public ByteOrder byteOrder() {
        return order;
    }

    @Override
    public List<CaptureInterface> interfaces() {
        return List.of(iface);
    }

    /** Whether timestamps are in nanoseconds (magic a1b23c4d) rather than microseconds. */
    boolean nanosecond() {
        return nanos;
    }

    @Override
    boolean readRecord(PacketBuffer into) throws IOException {
        long start = in.position();
        int got = in.fill(RECORD_HEADER);
        if (got == 0) {
            return false;
        }
        if (got < RECORD_HEADER) {
            throw truncated(start, "record header", RECORD_HEADER, got);
        }
        long seconds = in.u32(0, order);
        long fraction = in.u32(4, order);
        long captured = in.u32(8, order);
        long original = in.u32(12, order);
        checkCapturedLength(start + 8, captured, original, snapLength);
        in.advance(RECORD_HEADER);
        int length = (int) captured;
        readData(into, start, length, "record", RECORD_HEADER + captured);
        // At most 2^32 - 1 seconds and 2^32 - 1 fraction units: no overflow.
        long ts = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1_000L);
        into.set(ts, length, (int) original, 0, linkType);
        return true;
    }
}
