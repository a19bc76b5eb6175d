package org.bpf4j.core.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small BPF ELF objects by hand, for the cases clang does not produce. */
final class ElfBuilder {
    static final long AX = ElfFile.SHF_ALLOC | ElfFile.SHF_EXECINSTR;
    static final long WA = ElfFile.SHF_WRITE | ElfFile.SHF_ALLOC;

    private record Sec(String name, int type, long flags, byte[] data, long size) {}

    private record Sym(String name, long value, long size, int type, int bind, String section) {}

    private record Rel(long offset, int type, String symbol) {}

    private final List<Sec> sections = new ArrayList<>();
    private final List<Sym> symbols = new ArrayList<>();
    private final Map<String, List<Rel>> relocations = new LinkedHashMap<>();

    ElfBuilder code(String name, long... slots) {
        byte[] b = new byte[slots.length * 8];
        for (int i = 0; i < slots.length; i++) {
            for (int k = 0; k < 8; k++) {
                b[i * 8 + k] = (byte) (slots[i] >>> (8 * k));
            }
        }
        sections.add(new Sec(name, ElfFile.SHT_PROGBITS, AX, b, b.length));
        return this;
    }

    ElfBuilder data(String name, long flags, byte[] data) {
        sections.add(new Sec(name, ElfFile.SHT_PROGBITS, flags, data, data.length));
        return this;
    }

    ElfBuilder nobits(String name, long size) {
        sections.add(new Sec(name, ElfFile.SHT_NOBITS, WA, new byte[0], size));
        return this;
    }

    ElfBuilder license(String license) {
        return data("license", WA, (license + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** A symbol; section null is undefined (extern). */
    ElfBuilder symbol(String name, String section, long value, long size, int type, int bind) {
        symbols.add(new Sym(name, value, size, type, bind, section));
        return this;
    }

    ElfBuilder func(String name, String section, long value, long size) {
        return symbol(name, section, value, size, ElfFile.STT_FUNC, ElfFile.STB_GLOBAL);
    }

    ElfBuilder object(String name, String section, long value, long size) {
        return symbol(name, section, value, size, ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL);
    }

    ElfBuilder sectionSymbol(String section) {
        return symbol("", section, 0, 0, ElfFile.STT_SECTION, ElfFile.STB_LOCAL);
    }

    /** A relocation of {@code section} against the named symbol (or, for "", the section symbol of that name). */
    ElfBuilder rel(String section, long offset, int type, String symbol) {
        relocations.computeIfAbsent(section, k -> new ArrayList<>()).add(new Rel(offset, type, symbol));
        return this;
    }

    byte[] build() {
        // Section order: null, user sections, .rel*, .symtab, .strtab, .shstrtab
        List<String> names = new ArrayList<>();
        names.add("");
        for (Sec s : sections) {
            names.add(s.name());
        }
        List<String> relNames = new ArrayList<>(relocations.keySet());
        for (String r : relNames) {
            names.add(".rel" + r);
        }
        int symtabIndex = names.size();
        names.add(".symtab");
        names.add(".strtab");
        names.add(".shstrtab");
        Strings shstr = new Strings();
        Strings str = new Strings();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[64]);
        long[][] placed = new long[names.size()][2]; // offset, size
        for (int i = 0; i < sections.size(); i++) {
            Sec s = sections.get(i);
            align(out);
            placed[i + 1] = new long[] {out.size(), s.size()};
            out.writeBytes(s.data());
        }
        // symbols
        ByteArrayOutputStream sym = new ByteArrayOutputStream();
        sym.writeBytes(new byte[24]);
        Map<String, Integer> symIndex = new LinkedHashMap<>();
        int n = 1;
        for (Sym s : symbols) {
            int shndx = s.section() == null ? 0 : s.section().equals("ABS") ? ElfFile.SHN_ABS
                    : names.indexOf(s.section());
            if (shndx < 0) {
                throw new IllegalArgumentException("no section " + s.section());
            }
            byte[] e = new byte[24];
            put(e, 0, 4, s.type() == ElfFile.STT_SECTION ? 0 : str.add(s.name()));
            e[4] = (byte) (s.bind() << 4 | s.type());
            put(e, 6, 2, shndx);
            put(e, 8, 8, s.value());
            put(e, 16, 8, s.size());
            sym.writeBytes(e);
            symIndex.putIfAbsent(s.type() == ElfFile.STT_SECTION ? "section:" + s.section() : s.name(), n++);
        }
        for (int i = 0; i < relNames.size(); i++) {
            ByteArrayOutputStream rel = new ByteArrayOutputStream();
            for (Rel r : relocations.get(relNames.get(i))) {
                Integer idx = symIndex.get(r.symbol());
                if (idx == null) {
                    idx = symIndex.get("section:" + r.symbol());
                }
                if (idx == null) {
                    throw new IllegalArgumentException("no symbol " + r.symbol());
                }
                byte[] e = new byte[16];
                put(e, 0, 8, r.offset());
                put(e, 8, 8, (long) idx << 32 | r.type());
                rel.writeBytes(e);
            }
            align(out);
            placed[1 + sections.size() + i] = new long[] {out.size(), rel.size()};
            out.writeBytes(rel.toByteArray());
        }
        align(out);
        placed[symtabIndex] = new long[] {out.size(), sym.size()};
        out.writeBytes(sym.toByteArray());
        byte[] strBytes = str.bytes();
        placed[symtabIndex + 1] = new long[] {out.size(), strBytes.length};
        out.writeBytes(strBytes);
        int[] nameOffsets = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            nameOffsets[i] = shstr.add(names.get(i));
        }
        byte[] shstrBytes = shstr.bytes();
        placed[symtabIndex + 2] = new long[] {out.size(), shstrBytes.length};
        out.writeBytes(shstrBytes);
        align(out);
        long shoff = out.size();
        for (int i = 0; i < names.size(); i++) {
            byte[] h = new byte[64];
            if (i > 0) {
                put(h, 0, 4, nameOffsets[i]);
                int type;
                long flags = 0;
                int link = 0, info = 0;
                long entsize = 0;
                if (i <= sections.size()) {
                    Sec s = sections.get(i - 1);
                    type = s.type();
                    flags = s.flags();
                } else if (i < symtabIndex) {
                    type = ElfFile.SHT_REL;
                    link = symtabIndex;
                    info = names.indexOf(relNames.get(i - 1 - sections.size()));
                    entsize = 16;
                } else if (i == symtabIndex) {
                    type = ElfFile.SHT_SYMTAB;
                    link = symtabIndex + 1;
                    info = 1;
                    entsize = 24;
                } else {
                    type = ElfFile.SHT_STRTAB;
                }
                put(h, 4, 4, type);
                put(h, 8, 8, flags);
                put(h, 24, 8, placed[i][0]);
                put(h, 32, 8, placed[i][1]);
                put(h, 40, 4, link);
                put(h, 44, 4, info);
                put(h, 48, 8, 8);
                put(h, 56, 8, entsize);
            }
            out.writeBytes(h);
        }
        byte[] b = out.toByteArray();
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 2;
        b[5] = 1;
        b[6] = 1;
        put(b, 16, 2, ElfFile.ET_REL);
        put(b, 18, 2, ElfFile.EM_BPF);
        put(b, 20, 4, 1);
        put(b, 40, 8, shoff);
        put(b, 52, 2, 64);
        put(b, 58, 2, 64);
        put(b, 60, 2, names.size());
        put(b, 62, 2, symtabIndex + 2);
        return b;
    }

    private static void align(ByteArrayOutputStream out) {
        while (out.size() % 8 != 0) {
            out.write(0);
        }
    }

    static void put(byte[] b, int at, int width, long v) {
        for (int k = 0; k < width; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }

    /** A string table: NUL first, each string once. */
    private static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> at = new LinkedHashMap<>();

        Strings() {
            out.write(0);
            at.put("", 0);
        }

        int add(String s) {
            return at.computeIfAbsent(s, k -> {
                int off = out.size();
                out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
                out.write(0);
                return off;
            });
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---- instruction slots

    static long slot(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (offset & 0xffffL) << 16 | (long) imm << 32;
    }

    static long mov(int dst, int imm) {
        return slot(0xb7, dst, 0, 0, imm);
    }

    static long exit() {
        return slot(0x95, 0, 0, 0, 0);
    }

    static long call(int src, int imm) {
        return slot(0x85, 0, src, 0, imm);
    }

    static long[] lddw(int dst, int src, long imm) {
        return new long[] {slot(0x18, dst, src, 0, (int) imm), slot(0, 0, 0, 0, (int) (imm >>> 32))};
    }

    static long[] concat(Object... parts) {
        List<Long> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof long[] a) {
                for (long v : a) {
                    out.add(v);
                }
            } else {
                out.add((Long) p);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
