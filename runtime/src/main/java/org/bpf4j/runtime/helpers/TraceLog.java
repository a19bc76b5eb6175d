package org.bpf4j.runtime.helpers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where {@code bpf_trace_printk} writes: the last {@link #CAPACITY} lines, readable by the user, and an optional
 * listener that sees every line as it is written (the CLI prints them to stderr). Thread-safe.
 */
public final class TraceLog {
    public static final int CAPACITY = 10_000;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private volatile Consumer<String> listener;
    private long dropped;

    /** Called with every line written from now on. */
    public void listen(Consumer<String> listener) {
        this.listener = listener;
    }

    public synchronized void write(String line) {
        if (lines.size() == CAPACITY) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
        Consumer<String> l = listener;
        if (l != null) {
            l.accept(line);
        }
    }

    /** The lines kept, oldest first. */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** How many old lines were dropped to keep the capacity. */
    public synchronized long dropped() {
        return dropped;
    }
}
