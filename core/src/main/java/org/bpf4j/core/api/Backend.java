package org.bpf4j.core.api;

import java.util.ServiceLoader;
import org.bpf4j.core.object.BpfObject;

/**
 * Where objects run: in user space (bpf4j's engines) or in the Linux kernel. One object, one API, two backends.
 *
 * <pre>{@code
 * BpfObject obj = ObjectReader.read(Path.of("portfilter.o"));
 * for (Backend b : List.of(Backend.userspace(), Backend.kernel())) {
 *     try (BpfCollection c = b.load(obj)) {
 *         RunResult r = c.program("portfilter").orElseThrow().run(frame);
 *     }
 * }
 * }</pre>
 *
 * <p>The implementations live in the runtime and kernel modules and are found with {@link ServiceLoader}: put the
 * module on the class path.
 */
public interface Backend {
    /** {@code userspace} or {@code kernel}. */
    String name();

    /** Creates the object's maps and loads its programs. */
    BpfCollection load(BpfObject object);

    /** The user-space backend (module bpf4j-runtime). */
    static Backend userspace() {
        return find("userspace");
    }

    /** The kernel backend (module bpf4j-kernel; needs CAP_BPF). */
    static Backend kernel() {
        return find("kernel");
    }

    private static Backend find(String name) {
        for (Backend b : ServiceLoader.load(Backend.class)) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalStateException("no " + name + " backend on the class path (module bpf4j-"
                + (name.equals("kernel") ? "kernel" : "runtime") + ")");
    }
}
