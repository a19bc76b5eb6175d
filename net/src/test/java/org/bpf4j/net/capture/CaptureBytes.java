package org.bpf4j.net.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built capture files for tests, in either byte order, including what our writers never produce: big-endian
 * files, other timestamp resolutions, Simple and obsolete Packet Blocks, unknown blocks and options, several
 * sections.
 */
final class CaptureBytes {
    private final ByteOrder order;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    static CaptureBytes in(ByteOrder order) {
        return new CaptureBytes(order);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    CaptureBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    // ---- pcap ----

    CaptureBytes pcapHeader(int magic, int major, int minor, int snapLength, int linkType) {
        raw(buf(24).putInt(magic).putShort((short) major).putShort((short) minor).putInt(0).putInt(0)
                .putInt(snapLength).putInt(linkType).array());
        return this;
    }

    CaptureBytes pcapRecord(long seconds, long fraction, byte[] data, int originalLength) {
        return pcapRecord(seconds, fraction, data.length, originalLength, data);
    }

    CaptureBytes pcapRecord(long seconds, long fraction, int capturedLength, int originalLength, byte[] data) {
        raw(buf(16).putInt((int) seconds).putInt((int) fraction).putInt(capturedLength).putInt(originalLength)
                .array());
        return raw(data);
    }

    // ---- pcapng ----

    static int pad(int n) {
        return (n + 3) & ~3;
    }

    /** One option, padded. */
    byte[] option(int code, byte[] value) {
        ByteBuffer b = buf(4 + pad(value.length));
        b.putShort((short) code).putShort((short) value.length).put(value);
        return b.array();
    }

    byte[] option(int code, String value) {
        return option(code, value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] endOfOptions() {
        return new byte[4];
    }

    byte[] u64(long v) {
        return buf(8).putLong(v).array();
    }

    static byte[] cat(byte[]... parts) {
        var o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A block of any type around a body (padded to 4 bytes). */
    CaptureBytes block(int type, byte[] body) {
        int length = 12 + pad(body.length);
        ByteBuffer b = buf(length);
        b.putInt(type).putInt(length).put(body);
        b.position(length - 4);
        b.putInt(length);
        return raw(b.array());
    }

    CaptureBytes shb(byte[] options) {
        return shb(1, 0, options);
    }

    CaptureBytes shb(int major, int minor, byte[] options) {
        ByteBuffer b = buf(16);
        b.putInt(0x1a2b3c4d).putShort((short) major).putShort((short) minor).putLong(-1);
        return block(0x0a0d0d0a, cat(b.array(), options));
    }

    CaptureBytes idb(int linkType, int snapLength, byte[] options) {
        ByteBuffer b = buf(8);
        b.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        return block(1, cat(b.array(), options));
    }

    CaptureBytes epb(int iface, long units, byte[] data, int originalLength, byte[] options) {
        ByteBuffer b = buf(20);
        b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt(originalLength);
        return block(6, cat(b.array(), data, new byte[pad(data.length) - data.length], options));
    }

    CaptureBytes spb(int originalLength, byte[] data) {
        return block(3, cat(buf(4).putInt(originalLength).array(), data));
    }

    CaptureBytes pb(int iface, int drops, long units, byte[] data, int originalLength) {
        ByteBuffer b = buf(20);
        b.putShort((short) iface).putShort((short) drops).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(data.length).putInt(originalLength);
        return block(2, cat(b.array(), data, new byte[pad(data.length) - data.length]));
    }

    /** The "if_tsresol" option. */
    byte[] tsresol(int value) {
        return option(9, new byte[] {(byte) value});
    }

    static byte[] data(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }
}
