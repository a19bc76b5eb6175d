package org.bpf4j.kernel.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs, as the kernel counts them for per-CPU map values: the CPUs listed in
 * {@code /sys/devices/system/cpu/possible} (e.g. {@code 0-3} or {@code 0,2-5}).
 */
public final class PossibleCpus {
    private PossibleCpus() {}

    private static volatile int cached;

    /** The count, read once. */
    public static int count() {
        int n = cached;
        if (n == 0) {
            try {
                n = parse(Files.readString(Path.of("/sys/devices/system/cpu/possible")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /sys/devices/system/cpu/possible", e);
            }
            cached = n;
        }
        return n;
    }

    /** Counts the CPUs of a kernel CPU list ({@code 0-3,5}). */
    public static int parse(String list) {
        int n = 0;
        for (String part : list.strip().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            try {
                if (dash < 0) {
                    Integer.parseInt(part.strip());
                    n++;
                } else {
                    int from = Integer.parseInt(part.substring(0, dash).strip());
                    int to = Integer.parseInt(part.substring(dash + 1).strip());
                    if (to < from) {
                        throw new IllegalArgumentException("bad CPU range '" + part + "'");
                    }
                    n += to - from + 1;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list '" + list.strip() + "'", e);
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty CPU list '" + list.strip() + "'");
        }
        return n;
    }
}
