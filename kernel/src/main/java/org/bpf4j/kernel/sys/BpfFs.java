package org.bpf4j.kernel.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bpf file system, where objects are pinned. {@link #ensureMounted()} mounts it at {@code /sys/fs/bpf} when it is
 * not there yet (as {@code mount -t bpf bpf /sys/fs/bpf} would, through {@code mount(2)}).
 */
public final class BpfFs {
    private BpfFs() {}

    /** The usual mount point. */
    public static final Path DEFAULT = Path.of("/sys/fs/bpf");

    /** True when a bpf file system is mounted at {@code dir} (per {@code /proc/self/mounts}). */
    public static boolean isMounted(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
        String where = dir.toAbsolutePath().normalize().toString();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[2].equals("bpf") && unescape(f[1]).equals(where)) {
                return true;
            }
        }
        return false;
    }

    /** Mounts bpffs at {@link #DEFAULT} unless one is there. */
    public static void ensureMounted() {
        ensureMounted(DEFAULT);
    }

    /** Mounts bpffs at {@code dir} (creating the directory) unless one is there. */
    public static void ensureMounted(Path dir) {
        if (isMounted(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " to mount the bpf file system", e);
        }
        Native.Result r = Native.mount("bpf", dir.toString(), "bpf", 0);
        if (r.failed()) {
            throw new BpfSyscallException("mount", r.errno(), "bpf file system at " + dir, null);
        }
    }

    /** True when {@code path} lies under a mounted bpf file system. */
    public static boolean isInside(Path path) {
        for (Path p = path.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (isMounted(p)) {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
