package org.bpf4j.runtime.maps;

/**
 * One step of {@link BpfMap#forEach}: the addresses of an element's key and value in the program's address
 * space, as {@code bpf_for_each_map_elem} passes them to its callback.
 */
@FunctionalInterface
public interface EntryVisitor {
    /** Returns 0 to go on, 1 to stop (the callback's result). */
    long visit(long keyAddress, long valueAddress);
}
