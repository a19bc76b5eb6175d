package org.bpf4j.core.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One test of the standard eBPF conformance suite (bpf_conformance's {@code .data} format): sections introduced
 * by {@code -- NAME} lines; {@code #} starts a comment. Meaningful sections: {@code asm} (the program in the
 * suite's syntax), {@code raw} (one little-endian 64-bit instruction per line, hex), {@code mem} (hex bytes
 * handed to the program), {@code result} (expected r0) and {@code error} (expected error text).
 *
 * @param name   file name without {@code .data}
 * @param asm    the program's assembly, if the section holds any
 * @param raw    the program's raw bytes, if a {@code raw} section exists
 * @param memory the input memory (empty when absent)
 * @param result the expected r0, if given
 * @param error  the expected error text, if an {@code error} section exists
 */
public record ConformanceTest(String name, Optional<String> asm, Optional<byte[]> raw, byte[] memory,
        Optional<Long> result, Optional<String> error) {

    /** Reads and parses a {@code .data} file. */
    public static ConformanceTest read(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.data$", "");
        try {
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a {@code .data} file.
     *
     * @throws IllegalArgumentException when a {@code mem}, {@code raw} or {@code result} section is malformed
     */
    public static ConformanceTest parse(String name, String text) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.startsWith("-- ")) {
                current = sections.computeIfAbsent(line.substring(3).trim(), k -> new StringBuilder());
                continue;
            }
            if (current == null || line.startsWith("#")) {
                continue;
            }
            current.append(line).append('\n');
        }
        // An asm section with nothing in it (as when a stray "-- " line ends it at once) is no program.
        Optional<String> asm = Optional.ofNullable(sections.get("asm")).map(StringBuilder::toString)
                .filter(a -> !a.replaceAll("(?m)#.*$", "").isBlank());
        Optional<byte[]> raw = Optional.ofNullable(sections.get("raw")).map(s -> rawBytes(name, s.toString()));
        byte[] mem = sections.containsKey("mem") ? hexBytes(name, sections.get("mem").toString()) : new byte[0];
        Optional<Long> result = Optional.ofNullable(sections.get("result")).map(s -> number(name, s.toString()));
        Optional<String> error = Optional.ofNullable(sections.get("error")).map(s -> s.toString().strip());
        return new ConformanceTest(name, asm, raw, mem, result, error);
    }

    /** Hex bytes separated by any whitespace, as in {@code mem} sections and the plugin protocol. */
    public static byte[] hexBytes(String what, String text) {
        String digits = text.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]*")) {
            throw new IllegalArgumentException(what + ": not a sequence of hex bytes");
        }
        return HexFormat.of().parseHex(digits);
    }

    private static byte[] rawBytes(String name, String text) {
        var out = new java.io.ByteArrayOutputStream();
        for (String line : text.strip().split("\\s*\n\\s*")) {
            if (line.isBlank()) {
                continue;
            }
            String t = line.strip();
            byte[] b;
            if (t.matches("0x[0-9a-fA-F]{1,16}")) {
                long v = Long.parseUnsignedLong(t.substring(2), 16);
                b = new byte[8];
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (v >>> (8 * i));
                }
            } else {
                b = hexBytes(name, t);
            }
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static long number(String name, String text) {
        String t = text.strip();
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": result '" + t + "' is not a number");
        }
    }
}
