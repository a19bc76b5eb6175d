/**
 * The JIT compiler: eBPF programs compiled to JVM bytecode in hidden classes, which HotSpot compiles to machine
 * code. Same semantics as the interpreter ({@link org.bpf4j.runtime.interp.Interpreter}), faults included; every
 * memory access still goes through {@link org.bpf4j.runtime.memory.Memory}'s checked accessors.
 *
 * <p>Use it through {@link org.bpf4j.runtime.Engine#JIT}, or {@link org.bpf4j.runtime.jit.JitCompiler} directly:
 *
 * <pre>{@code
 * Execution e = Engine.JIT.create(program, helpers, new Memory());
 * long r0 = e.run(r1, r2);
 * }</pre>
 */
package org.bpf4j.runtime.jit;
