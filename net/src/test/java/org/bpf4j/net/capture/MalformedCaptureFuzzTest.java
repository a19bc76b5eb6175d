package org.bpf4j.net.capture;

import static org.bpf4j.net.capture.CaptureBytes.cat;
import static org.bpf4j.net.capture.CaptureBytes.data;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bpf4j.net.gen.ExampleCapture;
import org.junit.jupiter.api.Test;

/**
 * Mutated captures (bit flips, interesting lengths, cuts, deletions, duplications) are either read or rejected
 * with a {@link CaptureFormatException}: never another exception, a hang or an unbounded allocation.
 */
class MalformedCaptureFuzzTest {
    // -Dbpf4j.fuzz.seed=... -Dbpf4j.fuzz.iterations=... for longer runs.
    private static final long SEED = Long.getLong("bpf4j.fuzz.seed", 20240229L);
    private static final int ITERATIONS = Integer.getInteger("bpf4j.fuzz.iterations", 4000);
    private static final int[] INTERESTING = {0, 1, 3, 4, 8, 11, 12, 13, 16, 20, 28, 32, 0x7f, 0x80, 0xff, 0xffff,
        0x10000, 0x40000, 0x40001, 0x7fff_ffff, 0x8000_0000, 0xffff_fffc, 0xffff_ffff, 0x0a0d0d0a, 0x1a2b3c4d,
        0x4d3c2b1a, 0xa1b2c3d4, 0xd4c3b2a1};

    static List<byte[]> seeds() throws IOException {
        var example = new ByteArrayOutputStream(); // the first frames of the example capture
        try (var w = CaptureWriter.pcap(example, LinkType.ETHERNET, false)) {
            for (Packet p : ExampleCapture.packets().subList(0, 30)) {
                w.write(p);
            }
        }
        var pcapNanosBigEndian = CaptureBytes.in(ByteOrder.BIG_ENDIAN).pcapHeader(0xa1b23c4d, 2, 4, 100, 101);
        for (int i = 0; i < 6; i++) {
            pcapNanosBigEndian.pcapRecord(i, i * 7, data(10 * i, i), 10 * i + i);
        }
        var written = new ByteArrayOutputStream();
        try (var w = CaptureWriter.pcapng(written, true, 1, 101, 229)) {
            for (int i = 0; i < 8; i++) {
                w.write(new Packet(1_700_000_000_000_000_000L + i, data(8 * i + 3, i), 8 * i + 9, i % 3,
                        new int[] {1, 101, 229}[i % 3]));
            }
        }
        var le = CaptureBytes.in(ByteOrder.LITTLE_ENDIAN);
        le.shb(cat(le.option(4, "fuzz"), le.endOfOptions()))
                .idb(1, 64, cat(le.option(2, "eth0"), le.tsresol(0x80 | 20), le.option(14, le.u64(100)),
                        le.endOfOptions()))
                .block(4, data(20, 1))
                .spb(70, data(64, 2))
                .pb(0, 1, 99, data(9, 3), 9)
                .epb(0, 5, data(30, 4), 40, cat(le.option(1, "c"), le.endOfOptions()));
        var be = CaptureBytes.in(ByteOrder.BIG_ENDIAN);
        be.shb(2 - 1, 0, new byte[0]).idb(228, 0, cat(be.tsresol(3), be.endOfOptions()))
                .block(5, data(24, 5))
                .epb(0, 1234, data(17, 6), 17, new byte[0]);
        return List.of(example.toByteArray(), pcapNanosBigEndian.bytes(), written.toByteArray(), cat(le.bytes(), be.bytes()));
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] f = seed.clone();
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations && f.length > 0; m++) {
            int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(f.length, 160)) : rnd.nextInt(f.length);
            switch (rnd.nextInt(7)) {
                case 0 -> f[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> f[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 2 -> {
                    int word = at & ~3;
                    if (word + 4 <= f.length) {
                        ByteOrder o = rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                        int v = rnd.nextInt(3) == 0 ? rnd.nextInt(512) : INTERESTING[rnd.nextInt(INTERESTING.length)];
                        ByteBuffer.wrap(f).order(o).putInt(word, v);
                    }
                }
                case 3 -> f = Arrays.copyOf(f, at); // cut
                case 4 -> { // delete a range
                    int n = Math.min(1 + rnd.nextInt(16), f.length - at);
                    byte[] g = new byte[f.length - n];
                    System.arraycopy(f, 0, g, 0, at);
                    System.arraycopy(f, at + n, g, at, f.length - at - n);
                    f = g;
                }
                case 5 -> { // duplicate a range
                    int n = Math.min(1 + rnd.nextInt(64), f.length - at);
                    f = cat(Arrays.copyOf(f, at + n), Arrays.copyOfRange(f, at, f.length));
                }
                default -> { // insert random bytes
                    byte[] junk = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(junk);
                    f = cat(Arrays.copyOf(f, at), junk, Arrays.copyOfRange(f, at, f.length));
                }
            }
        }
        return f;
    }

    /** Reads everything; returns whether the file was rejected. */
    private static boolean readAll(byte[] file, TruncationPolicy policy, boolean buffered) throws IOException {
        try (var reader = CaptureReader.open(file, "fuzz", policy)) {
            var buffer = new PacketBuffer(64);
            int packets = 0;
            while (true) {
                int captured;
                int original;
                if (buffered) {
                    if (!reader.next(buffer)) {
                        break;
                    }
                    captured = buffer.capturedLength();
                    original = buffer.originalLength();
                } else {
                    Packet p = reader.next();
                    if (p == null) {
                        break;
                    }
                    captured = p.capturedLength();
                    original = p.originalLength();
                }
                assertTrue(captured <= CaptureReader.MAX_CAPTURED_LENGTH && captured <= original);
                assertTrue(++packets <= file.length / 12, "more packets than the file can hold");
            }
            return false;
        } catch (CaptureFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz: at byte offset " + e.offset() + ": "), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= file.length, e.getMessage());
            return true;
        }
    }

    @Test
    void mutatedCapturesOnlyEverFailWithCaptureFormatException() throws IOException {
        List<byte[]> seeds = seeds();
        for (int i = 0; i < seeds.size(); i++) {
            for (var policy : TruncationPolicy.values()) {
                assertTrue(!readAll(seeds.get(i), policy, true), "unmutated seed " + i + " is valid");
            }
        }
        int[] rejected = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(Math.max(60, ITERATIONS / 100)), () -> {
            Random rnd = new Random(SEED);
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] seed = seeds.get(i % seeds.size());
                byte[] f = mutate(seed, rnd);
                int iteration = i;
                try {
                    boolean strict = readAll(f, TruncationPolicy.FAIL, i % 2 == 0);
                    boolean lenient = readAll(f, TruncationPolicy.WARN, i % 2 != 0);
                    assertTrue(strict || !lenient, "the lenient policy never rejects what the strict one accepts");
                    if (strict) {
                        rejected[0]++;
                    }
                } catch (CaptureFormatException e) {
                    throw e;
                } catch (Throwable t) {
                    fail("iteration " + iteration + " (seed " + SEED + ", mutated file of " + f.length + " bytes: "
                            + java.util.HexFormat.of().formatHex(f, 0, Math.min(f.length, 96)) + "…) threw " + t, t);
                }
            }
        });
        assertTrue(rejected[0] > ITERATIONS / 10 && rejected[0] < ITERATIONS,
                "mutations should both break and spare files: " + rejected[0] + " of " + ITERATIONS + " rejected");
    }
}
