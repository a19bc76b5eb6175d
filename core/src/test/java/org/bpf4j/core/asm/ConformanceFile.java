package org.bpf4j.core.asm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One {@code .data} file of the bpf_conformance suite: {@code #} comments, then sections each opened by a line
 * {@code -- NAME} ({@code asm}, {@code raw}, {@code mem}, {@code result}, {@code error}, and others that carry no
 * meaning). Text before the first section is ignored, like comments.
 */
public record ConformanceFile(Path path, Map<String, String> sections) {

    /** The directory of the suite: system property {@code bpf4j.conformance.dir}, else {@code ../../shared/...}. */
    public static Path suiteDir() {
        String property = System.getProperty("bpf4j.conformance.dir");
        Path dir = property != null && !property.isBlank() ? Path.of(property)
                : Path.of("../../shared/bpf-conformance");
        if (!Files.isDirectory(dir.resolve("tests"))) {
            throw new IllegalStateException("bpf_conformance data not found at " + dir.toAbsolutePath()
                    + ": set the system property bpf4j.conformance.dir to the directory holding tests/ and negative/");
        }
        return dir;
    }

    /** The {@code .data} files of a subdirectory of the suite ({@code tests} or {@code negative}), sorted. */
    public static List<ConformanceFile> all(String subdirectory) {
        try (Stream<Path> files = Files.list(suiteDir().resolve(subdirectory))) {
            return files.filter(p -> p.toString().endsWith(".data")).sorted().map(ConformanceFile::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConformanceFile read(Path path) {
        try {
            return parse(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits the text into sections; within a section, lines are kept verbatim (comments too, for asm). */
    public static ConformanceFile parse(Path path, String text) {
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\\R", -1)) {
            if (line.startsWith("-- ")) {
                if (current != null) {
                    sections.put(current, body.toString());
                }
                current = line.substring(3).trim();
                body.setLength(0);
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            sections.put(current, body.toString());
        }
        return new ConformanceFile(path, sections);
    }

    public String name() {
        return path.getFileName().toString();
    }

    public String asm() {
        return sections.get("asm");
    }

    public boolean hasRaw() {
        return sections.containsKey("raw");
    }

    /**
     * The {@code raw} section as slots. A line is either one little-endian 64-bit value ({@code 0x...95}) or the
     * slot's 8 bytes in memory order ({@code 95 00 00 00 00 00 00 00}).
     */
    public long[] raw() {
        List<Long> slots = new ArrayList<>();
        for (String line : sections.get("raw").split("\n")) {
            String t = line.replaceAll("#.*", "").trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] parts = t.split("\\s+");
            if (parts.length == 1) {
                slots.add(Long.parseUnsignedLong(parts[0].replaceFirst("^0[xX]", ""), 16));
            } else if (parts.length == 8) {
                long v = 0;
                for (int b = 7; b >= 0; b--) {
                    v = v << 8 | Integer.parseInt(parts[b], 16);
                }
                slots.add(v);
            } else {
                throw new IllegalArgumentException(name() + ": raw line is neither a 64-bit value nor 8 bytes: " + line);
            }
        }
        return slots.stream().mapToLong(Long::longValue).toArray();
    }

    /** The expected result, or null when the file expects an error. */
    public Long result() {
        String r = sections.get("result");
        return r == null || r.isBlank() ? null : Long.parseUnsignedLong(r.trim().replaceFirst("^0[xX]", ""), 16);
    }

    /** The expected error text, or null. */
    public String error() {
        String e = sections.get("error");
        return e == null ? null : e.trim();
    }

    /** The {@code mem} section's bytes (empty when absent). */
    public byte[] mem() {
        String m = sections.getOrDefault("mem", "").replaceAll("#.*", "").trim();
        if (m.isEmpty()) {
            return new byte[0];
        }
        String[] parts = m.split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }
}
