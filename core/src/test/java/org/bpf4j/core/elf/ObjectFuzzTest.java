package org.bpf4j.core.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bpf4j.core.object.BpfObject;
import org.junit.jupiter.api.Test;

/**
 * Mutates the real test objects (bit flips, byte overwrites, truncation, and changes aimed at the fields the reader
 * trusts least) and checks that {@link ObjectReader#read} either returns or throws an {@link ObjectFormatException}
 * that is no internal error, and that {@link ObjectDump#dump} does likewise, each under a timeout. Seeded: a failure
 * names the iteration and mutation, which replays.
 */
class ObjectFuzzTest {
    static final long SEED = 0x5eed_b7f4L;
    static final int ITERATIONS = 4000;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final long[] INTERESTING = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 0x7f, 0x80, 0xff, 0x100, 0xffff,
        0x10000, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 1L << 32, 1L << 40, Long.MAX_VALUE, -1L, -8L};

    /** A field of an object: where it lies and how wide it is. */
    record Field(String what, int at, int width) {}

    record Target(String name, byte[] bytes, List<Field> fields) {}

    static Target target(String name) {
        byte[] bytes = TestObjects.bytes(name);
        ElfEdit e = new ElfEdit(bytes);
        List<Field> fields = new ArrayList<>();
        for (int[] f : new int[][] {{16, 2}, {18, 2}, {40, 8}, {58, 2}, {60, 2}, {62, 2}}) {
            fields.add(new Field("header@" + f[0], f[0], f[1]));
        }
        int shoff = (int) e.shoff();
        for (ElfFile.Section s : e.sections()) {
            int h = shoff + 64 * s.index();
            for (int[] f : new int[][] {{0, 4}, {4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {56, 8}}) {
                fields.add(new Field("section " + s.name() + "@" + f[0], h + f[0], f[1]));
            }
            int c = (int) s.offset();
            switch (s.type()) {
                case ElfFile.SHT_SYMTAB -> {
                    for (int i = 0; i < s.size() / 24; i++) {
                        for (int[] f : new int[][] {{0, 4}, {4, 1}, {6, 2}, {8, 8}, {16, 8}}) {
                            fields.add(new Field("symbol " + i + "@" + f[0], c + 24 * i + f[0], f[1]));
                        }
                    }
                }
                case ElfFile.SHT_REL -> {
                    for (int i = 0; i < s.size() / 16 && i < 40; i++) {
                        for (int[] f : new int[][] {{0, 8}, {8, 4}, {12, 4}}) {
                            fields.add(new Field(s.name() + " " + i + "@" + f[0], c + 16 * i + f[0], f[1]));
                        }
                    }
                }
                default -> {
                    if (s.executable()) {
                        for (int i = 0; i < s.size() / 8; i++) {
                            fields.add(new Field(s.name() + " insn " + i + " opcode", c + 8 * i, 1));
                            fields.add(new Field(s.name() + " insn " + i + " regs", c + 8 * i + 1, 1));
                            fields.add(new Field(s.name() + " insn " + i + " imm", c + 8 * i + 4, 4));
                        }
                    } else if (List.of(".BTF", ".BTF.ext", ".maps", "maps", ".data", ".rodata").contains(s.name())) {
                        for (int i = 0; i + 4 <= s.size(); i += 4) {
                            fields.add(new Field(s.name() + "@" + i, c + i, 4));
                        }
                    }
                }
            }
        }
        return new Target(name, bytes, fields);
    }

    /** One mutation of {@code t}'s bytes; describes itself into {@code what}. */
    static byte[] mutate(Random r, Target t, StringBuilder what) {
        byte[] b = t.bytes().clone();
        int kind = r.nextInt(10);
        switch (kind) {
            case 0, 1 -> { // bit flips
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length), bit = r.nextInt(8);
                    b[at] ^= (byte) (1 << bit);
                    what.append("flip ").append(at).append(':').append(bit).append(' ');
                }
            }
            case 2 -> { // byte overwrites
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    b[at] = (byte) (r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : r.nextInt());
                    what.append("byte ").append(at).append('=').append(b[at]).append(' ');
                }
            }
            case 3 -> { // truncation
                int len = r.nextInt(b.length);
                what.append("truncate ").append(len);
                return java.util.Arrays.copyOf(b, len);
            }
            default -> { // fields, one to three
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    Field f = t.fields().get(r.nextInt(t.fields().size()));
                    long v = switch (r.nextInt(4)) {
                        case 0 -> r.nextLong();
                        case 1 -> b.length + 8L * (r.nextInt(5) - 2);
                        default -> INTERESTING[r.nextInt(INTERESTING.length)];
                    };
                    if (f.at() + f.width() <= b.length) {
                        ElfBuilder.put(b, f.at(), f.width(), v);
                    }
                    what.append(f.what()).append('=').append(Long.toHexString(v)).append(' ');
                }
            }
        }
        return b;
    }

    @Test
    void mutatedObjectsReadOrFailCleanly() {
        List<Target> targets = TestObjects.ALL.stream().map(ObjectFuzzTest::target).toList();
        Random r = new Random(SEED);
        Map<String, Integer> outcomes = new HashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            Target t = targets.get(i % targets.size());
            StringBuilder what = new StringBuilder();
            byte[] b = mutate(r, t, what);
            String label = "iteration " + i + " of " + t.name() + ": " + what;
            String outcome = assertTimeoutPreemptively(TIMEOUT, () -> check(b, label), () -> label + " hangs");
            outcomes.merge(outcome, 1, Integer::sum);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 20_000, "fuzzing took " + ms + " ms");
        // The mutations reach past the first check: some objects still read, some fail for many reasons.
        assertTrue(outcomes.getOrDefault("read", 0) > ITERATIONS / 20, outcomes::toString);
        assertTrue(outcomes.size() > 20, outcomes::toString);
    }

    /** Reads and dumps; returns "read" or the start of the error message. */
    static String check(byte[] b, String label) {
        String outcome;
        try {
            BpfObject o = ObjectReader.read("fuzz.o", b);
            assertNotNull(o);
            outcome = "read";
        } catch (ObjectFormatException e) {
            assertClean(e, label);
            String m = e.getMessage().replaceAll("[0-9]+", "N");
            outcome = m.substring(0, Math.min(m.length(), 40));
        }
        try {
            ObjectDump.dump("fuzz.o", b);
        } catch (ObjectFormatException e) {
            assertClean(e, label);
        }
        return outcome;
    }

    static void assertClean(ObjectFormatException e, String label) {
        assertTrue(e.getMessage().startsWith("fuzz.o: "), label + ": " + e.getMessage());
        if (e.getMessage().contains("internal error")) {
            throw new AssertionError(label + ": " + e.getMessage(), e);
        }
    }
}
