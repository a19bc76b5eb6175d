package org.bpf4j.core.elf;

import java.util.List;

/** Finds and patches fields of a well-formed object's bytes: header, section headers, symbols, relocations. */
final class ElfEdit {
    final byte[] b;
    private final ElfFile elf;

    ElfEdit(byte[] bytes) {
        this.b = bytes.clone();
        this.elf = ElfFile.parse("edit", bytes);
    }

    long shoff() {
        return get(40, 8);
    }

    /** Byte offset of section {@code name}'s header. */
    int header(String name) {
        return (int) shoff() + section(name).index() * 64;
    }

    ElfFile.Section section(String name) {
        ElfFile.Section s = elf.section(name);
        if (s == null) {
            throw new IllegalArgumentException("no section " + name);
        }
        return s;
    }

    List<ElfFile.Section> sections() {
        return elf.sections;
    }

    List<ElfFile.Symbol> symbols() {
        return elf.symbols;
    }

    /** Byte offset of the symbol table entry of {@code name}. */
    int symbol(String name) {
        ElfFile.Symbol sym = elf.symbols.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        return (int) (elf.section(".symtab").offset() + 24L * sym.index());
    }

    int symbolIndex(String name) {
        return elf.symbols.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().index();
    }

    /** Byte offset of relocation {@code n} of relocation section {@code relSection}. */
    int relocation(String relSection, int n) {
        return (int) (section(relSection).offset() + 16L * n);
    }

    /** Byte offset of the contents of section {@code name}. */
    int contents(String name) {
        return (int) section(name).offset();
    }

    long get(int at, int width) {
        long v = 0;
        for (int k = width - 1; k >= 0; k--) {
            v = v << 8 | (b[at + k] & 0xffL);
        }
        return v;
    }

    ElfEdit put(int at, int width, long v) {
        ElfBuilder.put(b, at, width, v);
        return this;
    }

    byte[] bytes() {
        return b.clone();
    }
}
