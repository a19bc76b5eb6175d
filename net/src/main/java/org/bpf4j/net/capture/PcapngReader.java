package org.bpf4j.net.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format (draft-ietf-opsawg-pcapng): a sequence of sections, each a Section Header Block (whose
 * byte-order magic sets the byte order of the section) followed by blocks. Every block is
 * {@code type, total length, body, total length}, the length a multiple of 4 and at least 12.
 *
 * <p>Read: Interface Description Blocks (link type, snapshot length, {@code if_tsresol}, {@code if_tsoffset}),
 * Enhanced Packet Blocks, Simple Packet Blocks (no timestamp: 0) and obsolete Packet Blocks. Skipped: every
 * other block type and every other option. Interfaces are numbered across the whole file.
 */
final class PcapngReader extends CaptureReader {
    static final int SHB = 0x0a0d0d0a;
    static final int IDB = 1;
    static final int PB = 2;
    static final int SPB = 3;
    static final int EPB = 6;
    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;

    static final int OPT_ENDOFOPT = 0;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;

    private record Iface(CaptureInterface info, Timestamps clock) {}

    private ByteOrder order;
    private int section = -1;
    private final List<Iface> sectionInterfaces = new ArrayList<>();
    private final List<CaptureInterface> all = new ArrayList<>();

    PcapngReader(Input in, String source, TruncationPolicy truncation) throws IOException {
        super(in, source, truncation);
        // The first block must be a Section Header Block: read it now, so a broken one fails at open.
        try {
            readSectionHeader(0);
        } catch (Truncated t) {
            throw t.exception;
        }
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    @Override
    public ByteOrder byteOrder() {
        return order;
    }

    @Override
    public List<CaptureInterface> interfaces() {
        return List.copyOf(all);
    }

    @Override
    boolean readRecord(PacketBuffer into) throws IOException {
        while (true) {
            long start = in.position();
            int got = in.fill(8);
            if (got == 0) {
                return false;
            }
            if (got < 8) {
                throw truncated(start, "block header", 8, got);
            }
            int type = in.i32(0, order);
            if (type == SHB) {
                readSectionHeader(start);
                continue;
            }
            long length = blockLength(start);
            in.advance(8);
            switch (type) {
                case IDB -> readInterface(start, length);
                case EPB -> {
                    readPacket(into, start, length, true);
                    return true;
                }
                case PB -> {
                    readPacket(into, start, length, false);
                    return true;
                }
                case SPB -> {
                    readSimplePacket(into, start, length);
                    return true;
                }
                default -> skipOrCut(start, length - 12, "block of type 0x" + Integer.toHexString(type), length);
            }
            trailer(start, length, type == IDB ? "interface description block" : "block of type 0x"
                    + Integer.toHexString(type));
        }
    }

    private long blockLength(long start) throws CaptureFormatException {
        long length = in.u32(4, order);
        if (length < 12) {
            throw malformed(start + 4, "block total length " + length + " is less than 12");
        }
        if (length % 4 != 0) {
            throw malformed(start + 4, "block total length " + length + " is not a multiple of 4");
        }
        return length;
    }

    /** Reads the trailing copy of the block length and compares it with the leading one. */
    private void trailer(long start, long length, String what) throws IOException {
        long at = in.position();
        require(start, 4, what);
        long trailing = in.u32(0, order);
        if (trailing != length) {
            throw malformed(at, "block length mismatch: the block at offset " + start + " begins with total length "
                    + length + " but ends with " + trailing);
        }
        in.advance(4);
    }

    private void readSectionHeader(long start) throws IOException {
        require(start, 12, "section header block");
        int type = in.i32(0, ByteOrder.LITTLE_ENDIAN);
        if (type != SHB) {
            throw malformed(start, String.format("bad magic number 0x%08x: a pcapng file must begin with a section "
                    + "header block (0x0a0d0d0a)", in.i32(0, ByteOrder.BIG_ENDIAN)));
        }
        ByteOrder o;
        if (in.i32(8, ByteOrder.LITTLE_ENDIAN) == BYTE_ORDER_MAGIC) {
            o = ByteOrder.LITTLE_ENDIAN;
        } else if (in.i32(8, ByteOrder.BIG_ENDIAN) == BYTE_ORDER_MAGIC) {
            o = ByteOrder.BIG_ENDIAN;
        } else {
            throw malformed(start + 8, String.format("bad byte-order magic 0x%08x in section header block "
                    + "(expected 1a2b3c4d in either byte order)", in.i32(8, ByteOrder.BIG_ENDIAN)));
        }
        order = o;
        long length = blockLength(start);
        if (length < 28) {
            throw malformed(start + 4, "section header block length " + length + " is less than 28");
        }
        in.advance(12);
        require(start, 4, "section header block");
        int major = in.u16(0, order);
        int minor = in.u16(2, order);
        if (major != 1) {
            throw malformed(start + 12, "unsupported pcapng version " + major + "." + minor + " (expected 1.x)");
        }
        in.advance(4);
        skipOrCut(start, 8, "section header block", length); // section length: -1 or a hint, not relied upon
        readOptions(start, length, length - 28, null, "section header block");
        trailer(start, length, "section header block");
        section++;
        sectionInterfaces.clear();
    }

    private void readInterface(long start, long length) throws IOException {
        if (length < 20) {
            throw malformed(start + 4, "interface description block length " + length + " is less than 20");
        }
        require(start, 8, "interface description block");
        int linkType = in.u16(0, order);
        long snapLength = in.u32(4, order);
        in.advance(8);
        long[] opts = {6, 0}; // if_tsresol default: microseconds; if_tsoffset default: 0
        readOptions(start, length, length - 20, opts, "interface description block");
        var info = new CaptureInterface(all.size(), section, linkType, snapLength, (int) opts[0], opts[1]);
        all.add(info);
        sectionInterfaces.add(new Iface(info, new Timestamps((int) opts[0], opts[1])));
    }

    /**
     * Streams through the options of a block, {@code remaining} bytes; stores if_tsresol and if_tsoffset into
     * {@code opts} when it is non-null, skips all others.
     */
    private void readOptions(long start, long length, long remaining, long[] opts, String what) throws IOException {
        while (remaining >= 4) {
            long at = in.position();
            require(start, 4, what);
            int code = in.u16(0, order);
            int optLength = in.u16(2, order);
            in.advance(4);
            remaining -= 4;
            if (code == OPT_ENDOFOPT) {
                break;
            }
            long padded = (optLength + 3L) & ~3L;
            if (padded > remaining) {
                throw malformed(at, "option " + code + " of length " + optLength + " overruns its block, which "
                        + "has " + remaining + " bytes left");
            }
            if (opts != null && code == IF_TSRESOL) {
                if (optLength != 1) {
                    throw malformed(at, "if_tsresol option of length " + optLength + " (expected 1)");
                }
                require(start, 1, what);
                opts[0] = in.u8(0);
                in.advance(1);
                skipOrCut(start, padded - 1, what, length);
            } else if (opts != null && code == IF_TSOFFSET) {
                if (optLength != 8) {
                    throw malformed(at, "if_tsoffset option of length " + optLength + " (expected 8)");
                }
                require(start, 8, what);
                opts[1] = in.i64(0, order);
                in.advance(8);
            } else {
                skipOrCut(start, padded, what, length);
            }
            remaining -= padded;
        }
        skipOrCut(start, remaining, what, length);
    }

    private Iface iface(long at, long id) throws CaptureFormatException {
        if (id >= sectionInterfaces.size()) {
            throw malformed(at, "packet refers to interface " + id + " but its section describes "
                    + sectionInterfaces.size() + (sectionInterfaces.size() == 1 ? " interface" : " interfaces"));
        }
        return sectionInterfaces.get((int) id);
    }

    /** An Enhanced Packet Block (enhanced) or an obsolete Packet Block: both have 20 bytes before the data. */
    private void readPacket(PacketBuffer into, long start, long length, boolean enhanced) throws IOException {
        String what = enhanced ? "enhanced packet block" : "packet block";
        if (length < 32) {
            throw malformed(start + 4, what + " length " + length + " is less than 32");
        }
        require(start, 20, what);
        long id = enhanced ? in.u32(0, order) : in.u16(0, order);
        long units = (in.u32(4, order) << 32) | in.u32(8, order);
        long captured = in.u32(12, order);
        long original = in.u32(16, order);
        Iface iface = iface(start + 8, id);
        checkCapturedLength(start + 20, captured, original, iface.info.snapLength());
        long padded = (captured + 3) & ~3L;
        if (32 + padded > length) {
            throw malformed(start + 20, "captured length " + captured + " does not fit in a " + what + " of length "
                    + length);
        }
        long ts = iface.clock.toNanos(units);
        if (ts == Long.MIN_VALUE) {
            throw malformed(start + 12, "timestamp out of range (after the year 2262)");
        }
        in.advance(20);
        readData(into, start, (int) captured, what, length);
        skipOrCut(start, length - 32 - captured, what, length); // padding and options
        into.set(ts, (int) captured, (int) original, iface.info.index(), iface.info.linkType());
        trailer(start, length, what);
    }

    private void readSimplePacket(PacketBuffer into, long start, long length) throws IOException {
        if (length < 16) {
            throw malformed(start + 4, "simple packet block length " + length + " is less than 16");
        }
        require(start, 4, "simple packet block");
        long original = in.u32(0, order);
        Iface iface = iface(start, 0);
        // The captured length is the original one, cut to the snapshot length and to the room in the block.
        long captured = Math.min(original, length - 16);
        long snap = iface.info.snapLength();
        if (snap > 0) {
            captured = Math.min(captured, snap);
        }
        checkCapturedLength(start + 8, captured, original, snap);
        in.advance(4);
        readData(into, start, (int) captured, "simple packet block", length);
        skipOrCut(start, length - 16 - captured, "simple packet block", length);
        into.set(0, (int) captured, (int) original, iface.info.index(), iface.info.linkType());
        trailer(start, length, "simple packet block");
    }
}
