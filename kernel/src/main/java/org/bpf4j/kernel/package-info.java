/**
 * The kernel backend: the {@link org.bpf4j.core.object.BpfObject} the user-space backend runs, loaded into Linux.
 *
 * <ul>
 * <li>{@link org.bpf4j.kernel.KernelObject}: loads an object (BTF, maps, relocated programs with func and line
 *     info, program arrays and maps of maps filled), pins and unpins it, closes it.</li>
 * <li>{@link org.bpf4j.kernel.KernelProgram}: a loaded program: its info, its verifier log, test runs.</li>
 * <li>{@link org.bpf4j.kernel.KernelMap}: a map seen from user space: element, batch and queue operations,
 *     per-CPU values, freezing, pinning, and a {@code bpftool map dump -j} shaped dump.</li>
 * <li>{@link org.bpf4j.kernel.VerifierException}: a program the kernel refused, with the log and the C line.</li>
 * </ul>
 *
 * The system calls themselves are in {@link org.bpf4j.kernel.sys}. Everything here needs Linux and a process
 * allowed to use {@code bpf(2)} (root, or {@code CAP_BPF} with {@code CAP_NET_ADMIN} for networking programs).
 */
package org.bpf4j.kernel;
