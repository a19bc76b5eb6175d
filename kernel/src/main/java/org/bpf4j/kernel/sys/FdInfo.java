package org.bpf4j.kernel.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@code /proc/self/fdinfo/FD} says about a bpf object beyond {@code bpf_*_info}: {@code memlock} (bytes
 * charged), {@code frozen}, {@code prog_jited} and so on, as bpftool reads them.
 */
public final class FdInfo {
    private final Map<String, String> fields;

    private FdInfo(Map<String, String> fields) {
        this.fields = fields;
    }

    /** Reads the fdinfo of one of this process's descriptors; empty when it cannot be read. */
    public static FdInfo of(int fd) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            // no fdinfo: every field is absent
        }
        return new FdInfo(out);
    }

    public Map<String, String> fields() {
        return Map.copyOf(fields);
    }

    /** A numeric field, decimal or 0x-hex. */
    public OptionalLong number(String name) {
        String v = fields.get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
