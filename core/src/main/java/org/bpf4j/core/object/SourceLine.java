package org.bpf4j.core.object;

/**
 * Where an instruction comes from in C, from {@code .BTF.ext} line info.
 *
 * @param instruction the instruction (slot index) in the linked program where this line starts
 * @param file        the C file name as the compiler recorded it
 * @param line        1-based line number
 * @param column      column, 0 when unknown
 * @param text        the source line's text as recorded in BTF (may be empty)
 */
public record SourceLine(int instruction, String file, int line, int column, String text) {}
