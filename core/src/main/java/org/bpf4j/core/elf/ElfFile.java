package org.bpf4j.core.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A relocatable 64-bit little-endian ELF file for BPF ({@code EM_BPF}), as the ELF-64 Object File Format
 * describes it: header, section headers with names, the symbol table and REL relocations. Every offset, size,
 * index and string is checked against the bytes before use; a violation is an {@link ObjectFormatException}.
 * Section contents are checked when they are asked for, so damage in a section bpf4j never reads (debug info) does
 * not matter.
 */
final class ElfFile {
    static final int EM_BPF = 247;
    static final int ET_REL = 1;
    static final int SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4, SHT_NOBITS = 8,
            SHT_REL = 9;
    static final long SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4;
    static final int SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2, SHN_XINDEX = 0xffff;
    static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4;
    static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
    static final int HEADER_SIZE = 64, SECTION_HEADER_SIZE = 64, SYMBOL_SIZE = 24, REL_SIZE = 16;

    record Section(int index, String name, int type, long flags, long offset, long size, int link, int info,
            long entsize) {
        boolean executable() {
            return type == SHT_PROGBITS && (flags & SHF_EXECINSTR) != 0;
        }

        boolean alloc() {
            return (flags & SHF_ALLOC) != 0;
        }
    }

    record Symbol(int index, String name, long value, long size, int type, int bind, int shndx) {
        boolean isSection() {
            return type == STT_SECTION;
        }

        String describe() {
            return name.isEmpty() ? "#" + index : "'" + name + "'";
        }
    }

    record Relocation(int number, long offset, int type, int symbol) {}

    final String name;
    private final byte[] data;
    final List<Section> sections = new ArrayList<>();
    final List<Symbol> symbols = new ArrayList<>();
    private Section symtab;

    private ElfFile(String name, byte[] data) {
        this.name = name;
        this.data = data;
    }

    static ElfFile parse(String name, byte[] data) {
        ElfFile f = new ElfFile(name, data);
        f.parseHeader();
        return f;
    }

    private void parseHeader() {
        if (data.length < 16 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ObjectFormatException("not an ELF file (bad magic)");
        }
        if (data[4] != 2) {
            throw new ObjectFormatException("not a 64-bit ELF file (class " + data[4] + ")");
        }
        if (data[5] != 1) {
            throw new ObjectFormatException(data[5] == 2 ? "big-endian ELF is not supported"
                    : "unknown ELF data encoding " + data[5]);
        }
        if (data[6] != 1) {
            throw new ObjectFormatException("unknown ELF version " + data[6]);
        }
        if (data.length < HEADER_SIZE) {
            throw new ObjectFormatException("ELF header cut short: the file is " + data.length + " bytes");
        }
        int machine = u16(18);
        if (machine != EM_BPF) {
            throw new ObjectFormatException("not a BPF object: machine " + machine + " (BPF is " + EM_BPF + ")");
        }
        int type = u16(16);
        if (type != ET_REL) {
            throw new ObjectFormatException("not a relocatable object: ELF type " + type);
        }
        long shoff = u64(40);
        int shentsize = u16(58);
        int shnum = u16(60);
        int shstrndx = u16(62);
        if (shnum == 0) {
            if (shoff != 0) {
                throw new ObjectFormatException("extended section numbering (e_shnum 0) is not supported");
            }
            return;
        }
        if (shentsize != SECTION_HEADER_SIZE) {
            throw new ObjectFormatException("section header size is " + shentsize + ", not " + SECTION_HEADER_SIZE);
        }
        if (!fits(shoff, (long) shnum * SECTION_HEADER_SIZE)) {
            throw new ObjectFormatException("section header table (offset " + shoff + ", " + shnum
                    + " entries) lies outside the file (" + data.length + " bytes)");
        }
        if (shstrndx == SHN_XINDEX) {
            throw new ObjectFormatException("extended section name index is not supported");
        }
        if (shstrndx == SHN_UNDEF || shstrndx >= shnum) {
            throw new ObjectFormatException("section name table index " + shstrndx + " is out of range (" + shnum
                    + " sections)");
        }
        int strAt = (int) shoff + shstrndx * SECTION_HEADER_SIZE;
        long strOff = u64(strAt + 24), strSize = u64(strAt + 32);
        if (u32(strAt + 4) != SHT_STRTAB) {
            throw new ObjectFormatException("section name table (section " + shstrndx + ") is not a string table");
        }
        if (!fits(strOff, strSize)) {
            throw new ObjectFormatException("section name table (offset " + strOff + ", " + strSize
                    + " bytes) lies outside the file (" + data.length + " bytes)");
        }
        for (int i = 0; i < shnum; i++) {
            int at = (int) shoff + i * SECTION_HEADER_SIZE;
            long nameOff = u32(at);
            String secName;
            try {
                secName = string(strOff, strSize, nameOff);
            } catch (ObjectFormatException e) {
                throw new ObjectFormatException("section " + i + ": name " + e.getMessage());
            }
            sections.add(new Section(i, secName, (int) u32(at + 4), u64(at + 8), u64(at + 24), u64(at + 32),
                    (int) u32(at + 40), (int) u32(at + 44), u64(at + 56)));
        }
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                if (symtab != null) {
                    throw new ObjectFormatException("more than one symbol table (sections " + symtab.index() + " and "
                            + s.index() + ")");
                }
                symtab = s;
            }
        }
        if (symtab != null) {
            parseSymbols();
        }
    }

    private void parseSymbols() {
        Section s = symtab;
        if (s.size() % SYMBOL_SIZE != 0) {
            throw new ObjectFormatException("symbol table " + s.name() + " is " + s.size()
                    + " bytes, not a whole number of " + SYMBOL_SIZE + "-byte symbols");
        }
        if (s.link() <= 0 || s.link() >= sections.size() || sections.get(s.link()).type() != SHT_STRTAB) {
            throw new ObjectFormatException("symbol table " + s.name() + " links to section " + s.link()
                    + ", which is no string table");
        }
        Section strtab = sections.get(s.link());
        checkContents(s);
        checkContents(strtab);
        int count = (int) (s.size() / SYMBOL_SIZE);
        for (int i = 0; i < count; i++) {
            int at = (int) s.offset() + i * SYMBOL_SIZE;
            String symName;
            try {
                symName = string(strtab.offset(), strtab.size(), u32(at));
            } catch (ObjectFormatException e) {
                throw new ObjectFormatException("symbol " + i + ": name " + e.getMessage());
            }
            int info = data[at + 4] & 0xff;
            int shndx = u16(at + 6);
            if (shndx >= sections.size() && shndx != SHN_ABS && shndx != SHN_COMMON) {
                throw new ObjectFormatException("symbol " + i + " ('" + symName + "'): section index " + shndx
                        + " is out of range (" + sections.size() + " sections)");
            }
            Symbol sym = new Symbol(i, symName, u64(at + 8), u64(at + 16), info & 0xf, info >>> 4, shndx);
            if (sym.type() == STT_SECTION && sym.name().isEmpty() && shndx < sections.size()) {
                sym = new Symbol(i, sections.get(shndx).name(), sym.value(), sym.size(), sym.type(), sym.bind(), shndx);
            }
            symbols.add(sym);
        }
    }

    /** The section of this name, or null. */
    Section section(String sectionName) {
        for (Section s : sections) {
            if (s.name().equals(sectionName)) {
                return s;
            }
        }
        return null;
    }

    Symbol symbol(int index, String where) {
        if (index < 0 || index >= symbols.size()) {
            throw new ObjectFormatException(where + ": symbol index " + Integer.toUnsignedString(index)
                    + " is out of range (" + symbols.size() + " symbols)");
        }
        return symbols.get(index);
    }

    boolean hasSymbolTable() {
        return symtab != null;
    }

    /** A section's bytes (zeros for NOBITS), checked to lie inside the file. */
    byte[] contents(Section s) {
        if (s.type() == SHT_NOBITS) {
            return new byte[0];
        }
        checkContents(s);
        byte[] out = new byte[(int) s.size()];
        System.arraycopy(data, (int) s.offset(), out, 0, out.length);
        return out;
    }

    private void checkContents(Section s) {
        if (s.type() != SHT_NOBITS && !fits(s.offset(), s.size())) {
            throw new ObjectFormatException("section " + s.name() + ": data (offset " + Long.toUnsignedString(s.offset())
                    + ", " + Long.toUnsignedString(s.size()) + " bytes) lies outside the file (" + data.length
                    + " bytes)");
        }
    }

    /** The REL relocations that apply to section {@code target}, in file order; RELA is rejected. */
    List<Relocation> relocations(Section target) {
        List<Relocation> out = new ArrayList<>();
        for (Section s : sections) {
            if ((s.type() != SHT_REL && s.type() != SHT_RELA) || s.info() != target.index()) {
                continue;
            }
            if (s.type() == SHT_RELA) {
                throw new UnsupportedFeatureException("section " + s.name() + ": RELA relocations for section "
                        + target.name() + " are not supported (BPF objects use REL)");
            }
            if (symtab == null || s.link() != symtab.index()) {
                throw new ObjectFormatException("relocation section " + s.name() + " links to section " + s.link()
                        + ", which is not the symbol table");
            }
            if (s.size() % REL_SIZE != 0) {
                throw new ObjectFormatException("relocation section " + s.name() + " is " + s.size()
                        + " bytes, not a whole number of " + REL_SIZE + "-byte entries");
            }
            checkContents(s);
            int count = (int) (s.size() / REL_SIZE);
            for (int i = 0; i < count; i++) {
                int at = (int) s.offset() + i * REL_SIZE;
                long info = u64(at + 8);
                out.add(new Relocation(i, u64(at), (int) info, (int) (info >>> 32)));
            }
        }
        return out;
    }

    private String string(long tableOff, long tableSize, long off) {
        if (off >= tableSize) {
            throw new ObjectFormatException("offset " + off + " is outside its string table (" + tableSize + " bytes)");
        }
        int start = (int) (tableOff + off);
        int end = start;
        int limit = (int) (tableOff + tableSize);
        while (end < limit && data[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw new ObjectFormatException("string at offset " + off + " runs off the end of its string table");
        }
        return new String(data, start, end - start, StandardCharsets.UTF_8);
    }

    /** True when [off, off + len) lies inside the file (both read as unsigned). */
    private boolean fits(long off, long len) {
        return off >= 0 && len >= 0 && off <= data.length && len <= data.length - off;
    }

    private int u16(int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }

    private long u32(int at) {
        return (data[at] & 0xffL) | (data[at + 1] & 0xffL) << 8 | (data[at + 2] & 0xffL) << 16
                | (data[at + 3] & 0xffL) << 24;
    }

    private long u64(int at) {
        return u32(at) | u32(at + 4) << 32;
    }
}
