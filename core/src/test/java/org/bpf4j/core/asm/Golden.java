package org.bpf4j.core.asm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The golden files under {@code src/test/resources/asm/}, written by {@code regenerate.sh} with LLVM 19. */
record Golden(String name) {

    static String resource(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/asm/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource asm/" + file + " (see asm/regenerate.sh)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String source() {
        return resource(name + ".s");
    }

    /** The {@code .text} bytes llvm-mc produced, as slots. */
    long[] slots() {
        List<Long> slots = new ArrayList<>();
        for (String line : resource(name + ".hex").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] bytes = line.trim().split("\\s+");
            long v = 0;
            for (int b = bytes.length - 1; b >= 0; b--) {
                v = v << 8 | Integer.parseInt(bytes[b], 16);
            }
            slots.add(v);
        }
        return slots.stream().mapToLong(Long::longValue).toArray();
    }

    /** The instruction lines llvm-objdump printed: everything after the {@code <.text>:} header. */
    List<String> listing() {
        List<String> lines = List.of(resource(name + ".objdump").split("\n"));
        int start = lines.indexOf("0000000000000000 <.text>:");
        if (start < 0) {
            throw new IllegalStateException(name + ".objdump has no <.text>: header");
        }
        return lines.subList(start + 1, lines.size()).stream().filter(l -> !l.isEmpty()).toList();
    }

    /** One instruction line of a listing: address, bytes and text. */
    record Line(String address, String bytes, String text) {
        static Line parse(String line) {
            String[] parts = line.split("\t", 3);
            return parts.length == 3 ? new Line(parts[0], parts[1], parts[2]) : new Line(line, "", "");
        }

        /** The text without llvm-objdump's {@code <.text+0x..>} jump annotation. */
        String instruction() {
            int at = text.indexOf(" <.text");
            return at < 0 ? text : text.substring(0, at);
        }

        long[] slots() {
            String[] b = bytes.split(" ");
            long[] out = new long[b.length / 8];
            for (int s = 0; s < out.length; s++) {
                for (int k = 7; k >= 0; k--) {
                    out[s] = out[s] << 8 | Integer.parseInt(b[s * 8 + k], 16);
                }
            }
            return out;
        }
    }
}
