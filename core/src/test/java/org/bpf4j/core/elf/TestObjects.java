package org.bpf4j.core.elf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bpf4j.core.object.BpfObject;

/** The compiled test objects under {@code src/test/resources/objects/} (see the Makefile there). */
final class TestObjects {
    private TestObjects() {}

    /** Every object that reads without error. */
    static final List<String> GOOD = List.of("xdp_maps", "tc_globals", "calls", "two_progs", "tailcall", "map_in_map",
            "legacy", "loop", "misc");

    /** Every object. */
    static final List<String> ALL = List.of("xdp_maps", "tc_globals", "calls", "two_progs", "tailcall", "map_in_map",
            "legacy", "loop", "misc", "core");

    static byte[] resource(String file) {
        try (InputStream in = TestObjects.class.getResourceAsStream("/objects/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource objects/" + file + " (see objects/Makefile)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        return resource(name + ".o");
    }

    static BpfObject read(String name) {
        return ObjectReader.read(name + ".o", bytes(name));
    }

    static String text(String file) {
        return new String(resource(file), StandardCharsets.UTF_8);
    }

    /** The 1-based number of the first line of {@code name.c} that contains {@code fragment}. */
    static int line(String name, String fragment) {
        String[] lines = text(name + ".c").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(fragment + " is not in " + name + ".c");
    }
}
