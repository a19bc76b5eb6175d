package org.bpf4j.net.capture;

import static org.bpf4j.net.capture.CaptureBytes.cat;
import static org.bpf4j.net.capture.CaptureBytes.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and writing pcapng files. */
class PcapngFormatTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final byte[] NONE = new byte[0];

    static List<Packet> read(byte[] file) throws IOException {
        return PcapFormatTest.read(file);
    }

    static CaptureFormatException failure(byte[] file) {
        return assertThrows(CaptureFormatException.class, () -> read(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void sectionsAreReadInEitherByteOrder(String orderName) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? BE : LE;
        var b = CaptureBytes.in(order);
        b.shb(cat(b.option(4, "hand-built"), b.option(3, "Linux"), b.endOfOptions()))
                .idb(1, 65535, NONE)
                .epb(0, 1_700_000_000_123_456L, data(60, 1), 60, NONE)
                .epb(0, 1_700_000_000_223_456L, data(61, 2), 1500, cat(b.option(1, "a comment"), b.endOfOptions()));
        try (var reader = CaptureReader.open(b.bytes(), "x.pcapng", TruncationPolicy.FAIL)) {
            assertEquals(CaptureFormat.PCAPNG, reader.format());
            assertEquals(order, reader.byteOrder());
            assertEquals(new Packet(1_700_000_000_123_456_000L, data(60, 1), 60, 0, 1), reader.next());
            assertEquals(new Packet(1_700_000_000_223_456_000L, data(61, 2), 1500, 0, 1), reader.next());
            assertEquals(null, reader.next());
            assertEquals(List.of(new CaptureInterface(0, 0, 1, 65535, 6, 0)), reader.interfaces());
        }
    }

    @ParameterizedTest(name = "if_tsresol {0}: {1} units are {2} ns")
    @CsvSource({
        "6, 1700000000123456, 1700000000123456000",
        "9, 1700000000123456789, 1700000000123456789",
        "3, 1700000000123, 1700000000123000000",
        "0, 1700000000, 1700000000000000000",
        "12, 86400123456789012, 86400123456789", // picoseconds: a day after the epoch
        "128, 1700000000, 1700000000000000000", // 2^-0
        "148, 1782579200000000, 1700000000000000000", // 2^-20: 1700000000 * 2^20
        "158, 1825361100800000000, 1700000000000000000", // 2^-30
        "0x94, 1048576, 1000000000",
    })
    void timestampResolutionsAreConverted(String resolution, String units, long nanos) throws IOException {
        int res = Integer.decode(resolution);
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 0, cat(b.tsresol(res), b.endOfOptions()))
                .epb(0, Long.parseUnsignedLong(units), data(10, 1), 10, NONE);
        assertEquals(nanos, read(b.bytes()).getFirst().timestampNanos());
    }

    @Test
    void binaryFractionsAreTruncatedToNanoseconds() throws IOException {
        var b = CaptureBytes.in(BE);
        // 2^-32 s units: 1 unit is 0.23 ns, 5 units 1.16 ns, 2^31 units half a second
        b.shb(NONE).idb(1, 0, cat(b.tsresol(0x80 | 32), b.endOfOptions()))
                .epb(0, 1, data(1, 1), 1, NONE)
                .epb(0, 5, data(1, 1), 1, NONE)
                .epb(0, (3L << 32) | (1L << 31), data(1, 1), 1, NONE);
        assertEquals(List.of(0L, 1L, 3_500_000_000L), read(b.bytes()).stream().map(Packet::timestampNanos).toList());
    }

    @Test
    void extremeResolutionsNeitherOverflowNorThrow() throws IOException {
        var b = CaptureBytes.in(LE);
        b.shb(NONE)
                .idb(1, 0, cat(b.tsresol(127), b.endOfOptions()))
                .idb(1, 0, cat(b.tsresol(0x80 | 127), b.endOfOptions()))
                .idb(1, 0, cat(b.tsresol(0x80 | 64), b.endOfOptions()))
                .epb(0, -1L, data(1, 1), 1, NONE)
                .epb(1, -1L, data(1, 1), 1, NONE)
                .epb(2, -1L, data(1, 1), 1, NONE);
        assertEquals(List.of(0L, 0L, 999_999_999L), read(b.bytes()).stream().map(Packet::timestampNanos).toList());
    }

    @Test
    void aTimestampBeyond2262IsReported() {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 0, cat(b.tsresol(0), b.endOfOptions())).epb(0, 1L << 40, data(1, 1), 1, NONE);
        var e = failure(b.bytes());
        assertTrue(e.problem().startsWith("timestamp out of range"), e.problem());
    }

    @Test
    void theTimestampOffsetOptionIsAdded() throws IOException {
        var b = CaptureBytes.in(BE);
        b.shb(NONE).idb(1, 0, cat(b.option(14, b.u64(1_600_000_000L)), b.tsresol(9), b.endOfOptions()))
                .epb(0, 5, data(1, 1), 1, NONE);
        assertEquals(1_600_000_000_000_000_005L, read(b.bytes()).getFirst().timestampNanos());
    }

    @Test
    void simpleAndObsoletePacketBlocksAreRead() throws IOException {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(101, 100, NONE)
                .spb(80, data(80, 1)) // whole
                .spb(1500, data(100, 2)) // cut to the snapshot length
                .pb(0, 3, 1_000_000, data(33, 3), 40);
        List<Packet> packets = read(b.bytes());
        assertEquals(List.of(new Packet(0, data(80, 1), 80, 0, 101), new Packet(0, data(100, 2), 1500, 0, 101),
                new Packet(1_000_000_000, data(33, 3), 40, 0, 101)), packets);
    }

    @Test
    void aSimplePacketBlockWithoutSnapshotLengthTakesTheRoomInTheBlock() throws IOException {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 0, NONE).spb(7, data(7, 1));
        assertArrayEquals(data(7, 1), read(b.bytes()).getFirst().data());
    }

    @Test
    void unknownBlocksAndOptionsAreSkipped() throws IOException {
        var b = CaptureBytes.in(BE);
        byte[] nrb = cat(new byte[] {0, 1, 0, 8, 10, 0, 0, 1}, "host\0\0\0\0".getBytes(), new byte[4]);
        b.shb(cat(b.option(0x8000 | 42, data(13, 9)), b.endOfOptions()))
                .block(4, nrb) // name resolution
                .idb(1, 0, cat(b.option(2, "eth0"), b.option(3, "the first one"), b.option(0x1234, data(5, 1)),
                        b.tsresol(9), b.option(12, "Linux"), b.endOfOptions()))
                .block(0x0bad, data(17, 4)) // custom, unknown
                .block(5, data(28, 5)) // interface statistics
                .epb(0, 42, data(50, 6), 50, cat(b.option(2, new byte[] {0, 0, 0, 1}), b.option(99, data(7, 7)),
                        b.endOfOptions()))
                .block(0x40000bad, NONE);
        assertEquals(List.of(new Packet(42, data(50, 6), 50, 0, 1)), read(b.bytes()));
    }

    @Test
    void largeBlocksAndPacketsAreStreamedThrough() throws IOException {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 0, NONE).block(0x0bad, data(300_000, 1)).epb(0, 1, data(200_000, 2), 200_000, NONE)
                .block(0x0bad, data(70_000, 3)).epb(0, 2, data(5, 4), 5, NONE);
        assertEquals(List.of(new Packet(1000, data(200_000, 2), 200_000, 0, 1), new Packet(2000, data(5, 4), 5, 0, 1)),
                read(b.bytes()));
    }

    @Test
    void interfacesAreNumberedAcrossSections() throws IOException {
        var first = CaptureBytes.in(LE);
        first.shb(NONE).idb(1, 0, NONE).idb(101, 0, cat(first.tsresol(9), first.endOfOptions()))
                .epb(1, 7, data(20, 1), 20, NONE).epb(0, 7, data(30, 2), 30, NONE);
        var second = CaptureBytes.in(BE);
        second.shb(NONE).idb(229, 0, cat(second.tsresol(3), second.endOfOptions()))
                .epb(0, 8, data(40, 3), 40, NONE);
        try (var reader = CaptureReader.open(cat(first.bytes(), second.bytes()), "x", TruncationPolicy.FAIL)) {
            List<Packet> packets = reader.stream().toList();
            assertEquals(List.of(new Packet(7, data(20, 1), 20, 1, 101), new Packet(7_000, data(30, 2), 30, 0, 1),
                    new Packet(8_000_000, data(40, 3), 40, 2, 229)), packets);
            assertEquals(List.of(new CaptureInterface(0, 0, 1, 0, 6, 0), new CaptureInterface(1, 0, 101, 0, 9, 0),
                    new CaptureInterface(2, 1, 229, 0, 3, 0)), reader.interfaces());
            assertEquals(BE, reader.byteOrder());
        }
    }

    @Test
    void aNewSectionForgetsTheInterfacesOfThePreviousOne() {
        var first = CaptureBytes.in(LE);
        first.shb(NONE).idb(1, 0, NONE).idb(1, 0, NONE);
        var second = CaptureBytes.in(LE);
        second.shb(NONE).idb(1, 0, NONE).epb(1, 0, data(4, 1), 4, NONE);
        var e = failure(cat(first.bytes(), second.bytes()));
        assertEquals("packet refers to interface 1 but its section describes 1 interface", e.problem());
    }

    @Test
    void writtenFilesHaveOneInterfacePerLinkTypeAndNanosecondResolutionWhenAsked(@TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("a.pcapng");
        List<Packet> packets = List.of(new Packet(1_700_000_000_123_456_789L, data(60, 1), 60, 0, 1),
                new Packet(1_700_000_000_123_456_790L, data(21, 2), 1000, 1, 101),
                new Packet(1_700_000_001_000_000_001L, data(0, 3), 0, 2, 229));
        try (var w = CaptureWriter.pcapng(f, true, 1, 101, 229)) {
            assertEquals(CaptureFormat.PCAPNG, w.format());
            for (Packet p : packets) {
                w.write(p);
            }
        }
        try (var reader = CaptureReader.open(f)) {
            assertEquals(packets, reader.stream().toList());
            assertEquals(List.of(new CaptureInterface(0, 0, 1, 262144, 9, 0),
                    new CaptureInterface(1, 0, 101, 262144, 9, 0), new CaptureInterface(2, 0, 229, 262144, 9, 0)),
                    reader.interfaces());
        }
    }

    @Test
    void microsecondFilesHaveTheDefaultResolution() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var w = CaptureWriter.pcapng(out, false, 1)) {
            w.write(1_700_000_000_123_456_789L, data(3, 1));
        }
        var b = CaptureBytes.in(LE);
        byte[] expected = b.shb(cat(b.option(4, "bpf4j"), b.endOfOptions())).idb(1, 262144, NONE)
                .epb(0, 1_700_000_000_123_456L, data(3, 1), 3, NONE).bytes();
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void theWriterNeedsAnInterface() {
        assertThrows(IllegalArgumentException.class, () -> CaptureWriter.pcapng(new ByteArrayOutputStream(), true));
    }

    // ---- malformed files ----

    private static byte[] valid() {
        var b = CaptureBytes.in(LE);
        return b.shb(NONE).idb(1, 0, NONE).epb(0, 1, data(60, 1), 60, NONE).epb(0, 2, data(60, 2), 60, NONE).bytes();
    }

    private static byte[] withInt(byte[] file, int at, int value) {
        byte[] f = file.clone();
        java.nio.ByteBuffer.wrap(f).order(LE).putInt(at, value);
        return f;
    }

    // Offsets in valid(): SHB 0..28, IDB 28..48, EPB 48..140, EPB 140..232.

    @Test
    void aBlockLengthMismatchIsReported() {
        var e = failure(withInt(valid(), 136, 96));
        assertEquals(136, e.offset());
        assertEquals("block length mismatch: the block at offset 48 begins with total length 92 but ends with 96",
                e.problem());
    }

    @Test
    void blockLengthsBelow12OrNotMultiplesOf4AreReported() {
        assertEquals("block total length 8 is less than 12", failure(withInt(valid(), 52, 8)).problem());
        assertEquals(52, failure(withInt(valid(), 52, 8)).offset());
        assertEquals("block total length 93 is not a multiple of 4", failure(withInt(valid(), 52, 93)).problem());
    }

    @Test
    void aBadByteOrderMagicIsReported() {
        var e = failure(withInt(valid(), 8, 0x12345678));
        assertEquals(8, e.offset());
        assertTrue(e.problem().startsWith("bad byte-order magic 0x78563412"), e.problem());
    }

    @Test
    void anUnsupportedVersionIsReported() {
        var b = CaptureBytes.in(BE);
        assertEquals("unsupported pcapng version 2.0 (expected 1.x)", failure(b.shb(2, 0, NONE).bytes()).problem());
    }

    @Test
    void aPacketOfAnUndescribedInterfaceIsReported() {
        var e = failure(withInt(valid(), 56, 3));
        assertEquals(56, e.offset());
        assertEquals("packet refers to interface 3 but its section describes 1 interface", e.problem());
        var b = CaptureBytes.in(LE);
        assertTrue(failure(b.shb(NONE).spb(4, data(4, 1)).bytes()).problem().contains("describes 0 interfaces"));
    }

    @Test
    void aCapturedLengthThatDoesNotFitItsBlockIsReported() {
        var e = failure(withInt(withInt(valid(), 72, 100), 68, 64));
        assertEquals(68, e.offset());
        assertEquals("captured length 64 does not fit in a enhanced packet block of length 92", e.problem());
    }

    @Test
    void capturedLengthsAboveTheSnapshotLengthOrAbsurdAreReported() {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 50, NONE).epb(0, 1, data(60, 1), 60, NONE);
        assertEquals("captured length 60 exceeds the snapshot length 50", failure(b.bytes()).problem());
        assertEquals("captured length 4294967295 is absurd (more than 262144)",
                failure(withInt(valid(), 68, -1)).problem());
    }

    @Test
    void anOptionOverrunningItsBlockIsReported() {
        var b = CaptureBytes.in(LE);
        b.shb(NONE).idb(1, 0, cat(b.option(2, "eth0"), b.endOfOptions()));
        byte[] f = b.bytes();
        java.nio.ByteBuffer.wrap(f).order(LE).putShort(28 + 16 + 2, (short) 200);
        var e = failure(f);
        assertEquals(44, e.offset());
        assertEquals("option 2 of length 200 overruns its block, which has 8 bytes left", e.problem());
    }

    @Test
    void aFileNotStartingWithASectionHeaderIsNotPcapng() {
        assertTrue(failure(Arrays.copyOfRange(valid(), 28, 232)).problem().startsWith("bad magic number 0x01000000"));
    }

    @Test
    void aTruncatedFinalBlockIsReportedOrTolerated() throws IOException {
        byte[] cut = Arrays.copyOf(valid(), 200);
        var e = failure(cut);
        assertEquals(140, e.offset());
        assertEquals("truncated enhanced packet block at the end of the file: 92 bytes needed, only 60 present",
                e.problem());
        try (var reader = CaptureReader.open(cut, "cut.pcapng", TruncationPolicy.WARN)) {
            assertEquals(1, reader.stream().count());
            assertEquals(List.of(e.getMessage().replace("test.pcap", "cut.pcapng")), reader.warnings());
        }
    }

    @Test
    void aTruncatedSectionHeaderIsAlwaysReported() {
        for (int n : new int[] {4, 11, 20, 27}) {
            var e = assertThrows(CaptureFormatException.class,
                    () -> CaptureReader.open(Arrays.copyOf(valid(), n), "x", TruncationPolicy.WARN));
            assertTrue(e.problem().startsWith("truncated section header block"), e.problem());
        }
    }

    @Test
    void aTruncatedUnknownBlockIsReportedAsSuch() {
        var b = CaptureBytes.in(LE);
        byte[] f = b.shb(NONE).block(0x0bad, data(100, 1)).bytes();
        assertEquals("truncated block of type 0xbad at the end of the file: 112 bytes needed, only 58 present",
                failure(Arrays.copyOf(f, f.length - 54)).problem());
    }

    @Test
    void readingContinuesAcrossAllPacketBlockKinds() throws IOException {
        var b = CaptureBytes.in(BE);
        b.shb(NONE).idb(1, 0, NONE);
        List<Packet> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            switch (i % 3) {
                case 0 -> b.epb(0, i, data(i, i), i + 5, NONE);
                case 1 -> b.spb(i, data(i, i));
                default -> b.pb(0, 0, i, data(i, i), i);
            }
            expected.add(new Packet(i % 3 == 1 ? 0 : i * 1_000L, data(i, i), i + (i % 3 == 0 ? 5 : 0), 0, 1));
        }
        assertEquals(expected, read(b.bytes()));
    }
}
