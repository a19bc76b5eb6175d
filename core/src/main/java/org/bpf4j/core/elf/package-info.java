/**
 * Reading BPF ELF objects: {@link org.bpf4j.core.elf.ObjectReader} turns a relocatable object from
 * {@code clang -target bpf} into an {@link org.bpf4j.core.object.BpfObject} (programs linked with their
 * subprograms, maps, global data, license, BTF); {@link org.bpf4j.core.elf.ObjectDump} prints what
 * {@code llvm-objdump -d -S} prints for it. Every malformed or unsupported input is an
 * {@link org.bpf4j.core.elf.ObjectFormatException}.
 */
package org.bpf4j.core.elf;
