package org.bpf4j.runtime;

import java.util.Arrays;

/**
 * Helpers by number, as programs call them. Numbers follow the kernel's {@code include/uapi/linux/bpf.h}
 * (or BPFabric's, for BPFabric programs).
 *
 * <pre>{@code
 * HelperTable helpers = new HelperTable()
 *     .register(5, "unwind", (ctx, r1, r2, r3, r4, r5) -> r1);
 * }</pre>
 */
public final class HelperTable {
    private Helper[] helpers = new Helper[0];
    private String[] names = new String[0];

    /** Registers (or replaces) helper {@code id}. */
    public HelperTable register(int id, String name, Helper helper) {
        if (id < 0 || id > 1 << 16) {
            throw new IllegalArgumentException("helper number " + id + " out of range");
        }
        if (id >= helpers.length) {
            helpers = Arrays.copyOf(helpers, id + 1);
            names = Arrays.copyOf(names, id + 1);
        }
        helpers[id] = helper;
        names[id] = name;
        return this;
    }

    /** The helper with this number, or null. */
    public Helper get(long id) {
        return id >= 0 && id < helpers.length ? helpers[(int) id] : null;
    }

    /** The helper's name, or {@code #id} when unknown. */
    public String name(long id) {
        return get(id) != null ? names[(int) id] : "#" + id;
    }

    /** A snapshot indexed by number, for the engines' dispatch. */
    public Helper[] toArray() {
        return helpers.clone();
    }
}
