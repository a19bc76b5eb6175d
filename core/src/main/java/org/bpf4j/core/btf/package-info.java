/**
 * BPF Type Format: {@link org.bpf4j.core.btf.Btf} parses and checks a {@code .BTF} section (all kinds, string
 * section, loop-free references), {@link org.bpf4j.core.btf.BtfExt} the func info, line info and CO-RE records of
 * {@code .BTF.ext}, after the kernel's {@code Documentation/bpf/btf.rst} and {@code include/uapi/linux/btf.h}.
 */
package org.bpf4j.core.btf;
