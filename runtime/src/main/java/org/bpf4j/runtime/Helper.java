package org.bpf4j.runtime;

/**
 * A helper function a program calls by number ({@code call N}): arguments in r1 to r5, result in r0.
 *
 * <p>Pointers arrive as program addresses; read and write through {@link HelperContext#memory()}, which checks
 * every access. A helper that throws stops the program with a {@link BpfFault} naming it.
 */
@FunctionalInterface
public interface Helper {
    long call(HelperContext ctx, long r1, long r2, long r3, long r4, long r5);
}
