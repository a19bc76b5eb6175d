package org.bpf4j.runtime.jit;

import java.util.concurrent.ConcurrentHashMap;
import org.bpf4j.runtime.Helper;

/**
 * The code of one program for one snapshot of its helper table: the main class (the entry, every local call
 * target and every function whose address the program loads) and, made on demand, classes for functions called
 * through an address the program computed. Holds no reference to the {@code Program}, so that a cache keyed
 * weakly by it can let it go.
 */
final class Compiled {
    final long[] slots;
    final Helper[] helpers;
    final JitCode main;
    private final boolean[] mainEntries;
    private final int regionLimit;
    private final boolean forceLarge;
    private final ConcurrentHashMap<Integer, JitCode> others = new ConcurrentHashMap<>();

    Compiled(long[] slots, Helper[] helpers, JitCode main, boolean[] mainEntries, int regionLimit, boolean forceLarge) {
        this.slots = slots;
        this.helpers = helpers;
        this.main = main;
        this.mainEntries = mainEntries;
        this.regionLimit = regionLimit;
        this.forceLarge = forceLarge;
    }

    /** How many classes were made for computed call targets. */
    int satellites() {
        return others.size();
    }

    /** Code that has a function starting at {@code entry} (a valid instruction index). */
    JitCode code(int entry) {
        if (mainEntries[entry]) {
            return main;
        }
        return others.computeIfAbsent(entry, e -> Codegen.define(slots, helpers, new int[] {e}, regionLimit, forceLarge).code());
    }
}
