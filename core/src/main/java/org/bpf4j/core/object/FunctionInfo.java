package org.bpf4j.core.object;

/**
 * A function's start in a linked program, from {@code .BTF.ext} func info (or the symbol table).
 *
 * @param instruction the slot index where the function starts (0 for the program's own function)
 * @param name        the function's name
 * @param btfTypeId   its BTF {@code FUNC} type, 0 when the object has no BTF
 */
public record FunctionInfo(int instruction, String name, int btfTypeId) {}
