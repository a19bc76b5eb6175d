/**
 * {@code bpf(2)} through the Foreign Function &amp; Memory API, without JNI or libbpf.
 *
 * <ul>
 * <li>{@link org.bpf4j.kernel.sys.Native}: the C library calls ({@code syscall}, {@code close}, {@code mount},
 *     {@code strerror}, {@code clock_gettime}) with {@code errno} captured right after each call.</li>
 * <li>{@link org.bpf4j.kernel.sys.BpfAttr}: the members of {@code union bpf_attr} per command, as
 *     {@link java.lang.foreign.StructLayout}s that follow {@code include/uapi/linux/bpf.h}.</li>
 * <li>{@link org.bpf4j.kernel.sys.Bpf}: one method per command (maps, batches, programs with their verifier log,
 *     BTF, pinning, test runs, ids and info, links), retried on EAGAIN / EINTR, failing with a
 *     {@link org.bpf4j.kernel.sys.BpfSyscallException} that names the command and the errno.</li>
 * <li>{@link org.bpf4j.kernel.sys.Fd}: a descriptor, closed once.</li>
 * </ul>
 */
package org.bpf4j.kernel.sys;
