package org.bpf4j.net.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading and writing classic pcap files. */
class PcapFormatTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int MICROS = 0xa1b2c3d4;
    private static final int NANOS = 0xa1b23c4d;

    static List<Packet> read(byte[] file) throws IOException {
        return read(file, TruncationPolicy.FAIL);
    }

    static List<Packet> read(byte[] file, TruncationPolicy policy) throws IOException {
        try (var reader = CaptureReader.open(file, "test.pcap", policy)) {
            List<Packet> packets = new ArrayList<>();
            for (Packet p; (p = reader.next()) != null; ) {
                packets.add(p);
            }
            return packets;
        }
    }

    static CaptureFormatException failure(byte[] file) {
        return assertThrows(CaptureFormatException.class, () -> read(file));
    }

    @ParameterizedTest
    @EnumSource(names = {"LITTLE_ENDIAN", "BIG_ENDIAN"}, value = ByteOrderName.class)
    void microsecondFilesAreReadInEitherByteOrder(ByteOrderName name) throws IOException {
        byte[] a = CaptureBytes.data(60, 1);
        byte[] b = CaptureBytes.data(1514, 2);
        byte[] file = CaptureBytes.in(name.order).pcapHeader(MICROS, 2, 4, 65535, 1)
                .pcapRecord(1_700_000_000L, 123_456, a, 60)
                .pcapRecord(1_700_000_001L, 999_999, b, 1514).bytes();
        try (var reader = CaptureReader.open(file, "x", TruncationPolicy.FAIL)) {
            assertEquals(CaptureFormat.PCAP, reader.format());
            assertEquals(name.order, reader.byteOrder());
            assertEquals(List.of(new CaptureInterface(0, 0, 1, 65535, 6, 0)), reader.interfaces());
            assertEquals(new Packet(1_700_000_000_123_456_000L, a, 60, 0, LinkType.ETHERNET), reader.next());
            assertEquals(new Packet(1_700_000_001_999_999_000L, b, 1514, 0, LinkType.ETHERNET), reader.next());
            assertNull(reader.next());
            assertNull(reader.next());
        }
    }

    enum ByteOrderName {
        LITTLE_ENDIAN(LE), BIG_ENDIAN(BE);

        final ByteOrder order;

        ByteOrderName(ByteOrder order) {
            this.order = order;
        }
    }

    @Test
    void nanosecondMagicGivesNanosecondTimestamps() throws IOException {
        byte[] file = CaptureBytes.in(BE).pcapHeader(NANOS, 2, 4, 262144, 101)
                .pcapRecord(10, 123_456_789, CaptureBytes.data(40, 3), 40).bytes();
        Packet p = read(file).getFirst();
        assertEquals(10_123_456_789L, p.timestampNanos());
        assertEquals(LinkType.RAW, p.linkType());
    }

    @Test
    void unknownLinkTypesPassThroughAndFcsBitsAreIgnored() throws IOException {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 0, 0x1000_0000 | 147)
                .pcapRecord(1, 0, CaptureBytes.data(5, 3), 5).bytes();
        assertEquals(147, read(file).getFirst().linkType());
    }

    @Test
    void snapshotLengthLimitedPacketsKeepTheirOriginalLength() throws IOException {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 64, 1)
                .pcapRecord(1, 0, CaptureBytes.data(64, 3), 1500).bytes();
        Packet p = read(file).getFirst();
        assertEquals(64, p.capturedLength());
        assertEquals(1500, p.originalLength());
        assertTrue(p.truncated());
    }

    @Test
    void anEmptyCaptureHasNoPackets() throws IOException {
        assertEquals(List.of(), read(CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1).bytes()));
    }

    @Test
    void writtenFilesAreLittleEndianWithTheRightMagicAndHeader() throws IOException {
        for (boolean nanos : new boolean[] {false, true}) {
            var out = new ByteArrayOutputStream();
            try (var w = CaptureWriter.pcap(out, LinkType.ETHERNET, nanos)) {
                w.write(1_700_000_000_123_456_789L, CaptureBytes.data(60, 1));
            }
            byte[] expected = CaptureBytes.in(LE).pcapHeader(nanos ? NANOS : MICROS, 2, 4, 262144, 1)
                    .pcapRecord(1_700_000_000L, nanos ? 123_456_789 : 123_456, CaptureBytes.data(60, 1), 60).bytes();
            assertArrayEquals(expected, out.toByteArray(), nanos ? "nanoseconds" : "microseconds");
        }
    }

    @Test
    void writingThenReadingAFileGivesThePacketsBack(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.pcap");
        List<Packet> packets = List.of(
                new Packet(1_000_000_123_456_789L, CaptureBytes.data(100, 1), 100, 0, 229),
                new Packet(1_000_000_223_456_789L, CaptureBytes.data(20, 2), 1000, 0, 229),
                new Packet(1_000_000_323_456_789L, new byte[0], 0, 0, 229));
        try (var w = CaptureWriter.pcap(f, 229, true)) {
            for (Packet p : packets) {
                w.write(p);
            }
            assertEquals(3, w.packetsWritten());
            assertEquals(CaptureFormat.PCAP, w.format());
        }
        assertEquals(packets, CaptureReader.readAll(f));
    }

    @Test
    void theLargestPacketsRoundTripThroughAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.pcap");
        List<Packet> packets = List.of(Packet.of(1, 1, CaptureBytes.data(262_144, 1)),
                Packet.of(2, 1, CaptureBytes.data(70_000, 2)), Packet.of(3, 1, CaptureBytes.data(1, 3)));
        try (var w = CaptureWriter.pcap(f, 1, true)) {
            for (Packet p : packets) {
                w.write(p);
            }
        }
        assertEquals(packets, CaptureReader.readAll(f));
    }

    @Test
    void microsecondFilesTruncateTimestampsTowardThePast(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.pcap");
        try (var w = CaptureWriter.pcap(f, 1, false)) {
            w.write(1_999_999_999L, CaptureBytes.data(14, 1));
        }
        assertEquals(1_999_999_000L, CaptureReader.readAll(f).getFirst().timestampNanos());
    }

    @Test
    void theWriterRejectsWhatItCannotRepresent() throws IOException {
        var w = CaptureWriter.pcap(new ByteArrayOutputStream(), 1, true);
        byte[] d = CaptureBytes.data(10, 1);
        assertThrows(IllegalArgumentException.class, () -> w.write(-1, d));
        assertThrows(IllegalArgumentException.class, () -> w.write(Packet.of(0, 101, d)), "link type");
        assertThrows(IllegalArgumentException.class, () -> w.write(new Packet(0, d, 10, 1, 1)), "interface");
        assertThrows(IllegalArgumentException.class, () -> w.write(5_000_000_000L * 1_000_000_000L, d));
        assertThrows(IllegalArgumentException.class, () -> w.write(0, 0, new byte[300_000], 0, 300_000, 300_000));
        assertThrows(IllegalArgumentException.class, () -> CaptureWriter.pcap(new ByteArrayOutputStream(), 70000, true));
        w.close();
        assertThrows(IllegalStateException.class, () -> w.write(0, d));
    }

    // ---- malformed files ----

    @Test
    void aBadMagicNumberIsReportedAtOffsetZero() {
        var e = failure(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(0, e.offset());
        assertEquals("test.pcap", e.source());
        assertTrue(e.getMessage().startsWith("test.pcap: at byte offset 0: bad magic number 0x01020304"),
                e.getMessage());
    }

    @Test
    void anEmptyOrShortFileIsReported() {
        assertTrue(failure(new byte[0]).problem().contains("empty file"));
        assertTrue(failure(new byte[] {(byte) 0xd4, (byte) 0xc3}).problem().contains("truncated file header"));
        byte[] header = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1).bytes();
        assertTrue(failure(java.util.Arrays.copyOf(header, 20)).problem().contains("truncated pcap file header"));
    }

    @Test
    void anUnsupportedVersionIsReported() {
        var e = failure(CaptureBytes.in(LE).pcapHeader(MICROS, 3, 0, 65535, 1).bytes());
        assertEquals(4, e.offset());
        assertTrue(e.problem().contains("unsupported pcap version 3.0"), e.problem());
    }

    @Test
    void aCapturedLengthAboveTheSnapshotLengthIsReported() {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 100, 1)
                .pcapRecord(1, 0, CaptureBytes.data(101, 1), 101).bytes();
        var e = failure(file);
        assertEquals(24 + 8, e.offset());
        assertEquals("captured length 101 exceeds the snapshot length 100", e.problem());
    }

    @Test
    void anAbsurdCapturedLengthIsReportedWithoutAllocatingIt() {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 0, 1)
                .pcapRecord(1, 0, 0x7fff_ffff, 0x7fff_ffff, new byte[0]).bytes();
        assertEquals("captured length 2147483647 is absurd (more than 262144)", failure(file).problem());
    }

    @Test
    void aCapturedLengthAboveTheOriginalLengthIsReported() {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 0, 1)
                .pcapRecord(1, 0, CaptureBytes.data(10, 1), 9).bytes();
        assertEquals("captured length 10 exceeds the original length 9", failure(file).problem());
    }

    private static byte[] cutFile() {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1)
                .pcapRecord(1, 0, CaptureBytes.data(60, 1), 60)
                .pcapRecord(2, 0, CaptureBytes.data(60, 2), 60).bytes();
        return java.util.Arrays.copyOf(file, file.length - 10);
    }

    @Test
    void aTruncatedFinalRecordIsReportedByDefault() throws IOException {
        byte[] file = cutFile();
        try (var reader = CaptureReader.open(file, "cut.pcap", TruncationPolicy.FAIL)) {
            assertEquals(1_000_000_000L, reader.next().timestampNanos());
            var e = assertThrows(CaptureFormatException.class, reader::next);
            assertEquals(24 + 16 + 60, e.offset());
            assertEquals("cut.pcap: at byte offset 100: truncated record at the end of the file: 76 bytes needed, "
                    + "only 66 present", e.getMessage());
            assertSame(e, assertThrows(CaptureFormatException.class, reader::next), "a failed reader stays failed");
        }
    }

    @Test
    void aTruncatedFinalRecordHeaderIsReported() {
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1).raw(new byte[7]).bytes();
        assertEquals("truncated record header at the end of the file: 16 bytes needed, only 7 present",
                failure(file).problem());
    }

    @Test
    void aTruncatedFinalRecordCanBeToleratedWithAWarning() throws IOException {
        try (var reader = CaptureReader.open(cutFile(), "cut.pcap", TruncationPolicy.WARN)) {
            assertTrue(reader.warnings().isEmpty());
            assertEquals(1, reader.stream().count());
            assertEquals(List.of("cut.pcap: at byte offset 100: truncated record at the end of the file: 76 bytes "
                    + "needed, only 66 present"), reader.warnings());
            assertNull(reader.next());
        }
    }

    @Test
    void iterationWrapsFormatErrorsInUncheckedExceptions() throws IOException {
        try (var reader = CaptureReader.open(cutFile(), "cut.pcap", TruncationPolicy.FAIL)) {
            var e = assertThrows(UncheckedIOException.class, () -> {
                for (Packet ignored : reader) {
                    // reads on
                }
            });
            assertTrue(e.getCause() instanceof CaptureFormatException);
        }
    }

    @Test
    void aFileOnDiskIsNamedInErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.pcap");
        Files.write(f, cutFile());
        var e = assertThrows(CaptureFormatException.class, () -> CaptureReader.readAll(f));
        assertEquals(f.toString(), e.source());
    }

    @Test
    void aReusableBufferIsFilledWithoutAllocatingForEachPacket() throws IOException {
        var builder = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1);
        for (int i = 0; i < 100; i++) {
            builder.pcapRecord(i, i, CaptureBytes.data(60 + i, i), 200);
        }
        var buffer = new PacketBuffer(256);
        byte[] array = buffer.array();
        try (var reader = CaptureReader.open(builder.bytes(), "x", TruncationPolicy.FAIL)) {
            for (int i = 0; i < 100; i++) {
                assertTrue(reader.next(buffer));
                assertSame(array, buffer.array());
                assertEquals(60 + i, buffer.capturedLength());
                assertEquals(200, buffer.originalLength());
                assertEquals(i * 1_000_000_000L + i * 1_000L, buffer.timestampNanos());
                assertArrayEquals(CaptureBytes.data(60 + i, i), buffer.toPacket().data());
            }
            assertFalse(reader.next(buffer));
        }
    }

    @Test
    void aBufferTooSmallGrows() throws IOException {
        byte[] big = CaptureBytes.data(9000, 1);
        byte[] file = CaptureBytes.in(LE).pcapHeader(MICROS, 2, 4, 65535, 1).pcapRecord(1, 0, big, 9000).bytes();
        var buffer = new PacketBuffer(16);
        try (var reader = CaptureReader.open(file, "x", TruncationPolicy.FAIL)) {
            assertTrue(reader.next(buffer));
        }
        assertArrayEquals(big, java.util.Arrays.copyOf(buffer.array(), buffer.capturedLength()));
    }
}
