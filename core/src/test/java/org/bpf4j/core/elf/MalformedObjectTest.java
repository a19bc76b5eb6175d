package org.bpf4j.core.elf;

import static org.bpf4j.core.elf.ElfBuilder.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.bpf4j.core.btf.BtfBuilder;
import org.bpf4j.core.btf.BtfType;
import org.bpf4j.core.isa.Slot;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Broken and unsupported objects: each is an {@link ObjectFormatException} with a message that says where. */
class MalformedObjectTest {

    static ObjectFormatException fails(byte[] bytes, String... fragments) {
        return fails(ObjectFormatException.class, bytes, fragments);
    }

    static <T extends ObjectFormatException> T fails(Class<T> type, byte[] bytes, String... fragments) {
        T e = assertThrows(type, () -> ObjectReader.read("bad.o", bytes));
        assertTrue(e.getMessage().startsWith("bad.o: "), e.getMessage());
        assertFalse(e.getMessage().contains("internal error"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    static ElfEdit edit(String name) {
        return new ElfEdit(TestObjects.bytes(name));
    }

    // ---- ELF structure

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#ALL")
    void truncatedAnywhere(String name) {
        byte[] full = TestObjects.bytes(name);
        for (int len = 0; len < full.length; len += len < 200 ? 1 : 23) {
            byte[] cut = java.util.Arrays.copyOf(full, len);
            assertThrows(ObjectFormatException.class, () -> ObjectReader.read("cut.o", cut), "length " + len);
        }
    }

    @Test
    void header() {
        fails(edit("xdp_maps").put(0, 1, 0x7e).bytes(), "not an ELF file");
        fails(edit("xdp_maps").put(4, 1, 1).bytes(), "not a 64-bit ELF file (class 1)");
        fails(edit("xdp_maps").put(5, 1, 2).bytes(), "big-endian ELF is not supported");
        fails(edit("xdp_maps").put(5, 1, 7).bytes(), "unknown ELF data encoding 7");
        fails(edit("xdp_maps").put(18, 2, 62).bytes(), "not a BPF object: machine 62 (BPF is 247)");
        fails(edit("xdp_maps").put(16, 2, 2).bytes(), "not a relocatable object: ELF type 2");
        fails(java.util.Arrays.copyOf(TestObjects.bytes("xdp_maps"), 40), "ELF header cut short");
    }

    @Test
    void sectionHeaderTable() {
        fails(edit("xdp_maps").put(40, 8, 0x7fff_ffff_ffffL).bytes(), "section header table (offset 140737488355327");
        fails(edit("xdp_maps").put(40, 8, -1L).bytes(), "section header table");
        fails(edit("xdp_maps").put(60, 2, 0xffff).bytes(), "section header table", "65535 entries");
        fails(edit("xdp_maps").put(58, 2, 40).bytes(), "section header size is 40");
        fails(edit("xdp_maps").put(62, 2, 200).bytes(), "section name table index 200 is out of range");
        fails(edit("xdp_maps").put(62, 2, 3).bytes(), "section name table (section 3) is not a string table");
        fails(edit("xdp_maps").put(60, 2, 0).bytes(), "extended section numbering");
    }

    @Test
    void sectionNamesAndContents() {
        ElfEdit e = edit("xdp_maps");
        fails(e.put(e.header("xdp"), 4, 0xffffff).bytes(), "section 3: name offset 16777215 is outside");
        ElfEdit btf = edit("xdp_maps");
        fails(btf.put(btf.header(".BTF") + 24, 8, 1L << 40).bytes(), "section .BTF: data (offset 1099511627776");
        ElfEdit size = edit("xdp_maps");
        fails(size.put(size.header("xdp") + 32, 8, 1L << 62).bytes(), "section xdp: data", "lies outside the file");
        ElfEdit odd = edit("xdp_maps");
        fails(odd.put(odd.header("xdp") + 32, 8, 0x154).bytes(), "section xdp: 340 bytes of code");
    }

    @Test
    void symbols() {
        ElfEdit shndx = edit("xdp_maps");
        fails(shndx.put(shndx.symbol("counters") + 6, 2, 500).bytes(),
                "symbol " + shndx.symbolIndex("counters") + " ('counters'): section index 500 is out of range");
        ElfEdit name = edit("xdp_maps");
        fails(name.put(name.symbol("counters"), 4, 0x10000).bytes(),
                "symbol " + name.symbolIndex("counters") + ": name offset 65536 is outside its string table");
        ElfEdit size = edit("xdp_maps");
        fails(size.put(size.header(".symtab") + 32, 8, 25).bytes(), "symbol table .symtab is 25 bytes");
        ElfEdit link = edit("xdp_maps");
        fails(link.put(link.header(".symtab") + 40, 4, 3).bytes(), "links to section 3, which is no string table");
        ElfEdit two = edit("xdp_maps");
        fails(two.put(two.header("license") + 4, 4, ElfFile.SHT_SYMTAB).bytes(), "more than one symbol table");
        ElfEdit func = edit("xdp_maps");
        fails(func.put(func.symbol("xdp_count") + 8, 8, 4).bytes(),
                "section xdp, function 'xdp_count': starts at byte 4");
        ElfEdit fsize = edit("xdp_maps");
        fails(fsize.put(fsize.symbol("xdp_count") + 16, 8, 0x1000).bytes(),
                "section xdp, function 'xdp_count': its 4096 bytes run past the end");
    }

    // ---- relocations in code

    @Test
    void relocationOutsideTheCode() {
        ElfEdit e = edit("xdp_maps");
        fails(e.put(e.relocation(".relxdp", 0), 8, 0x158).bytes(),
                "section xdp, relocation 0 at byte 344 against symbol 'counters': points outside the code (344 bytes)");
        ElfEdit far = edit("xdp_maps");
        fails(far.put(far.relocation(".relxdp", 1), 8, -8L).bytes(),
                "section xdp, relocation 1 at byte 18446744073709551608 against symbol 'flows': points outside the code");
        ElfEdit odd = edit("xdp_maps");
        fails(odd.put(odd.relocation(".relxdp", 0), 8, 0x51).bytes(),
                "section xdp, relocation 0 at byte 81 against symbol 'counters': is not on an instruction boundary");
    }

    @Test
    void relocationOnAnInstructionThatIsNoLddw() {
        ElfEdit e = edit("xdp_maps");
        fails(e.put(e.relocation(".relxdp", 0), 8, 0).bytes(),
                "section xdp, instruction 0: relocation against symbol 'counters' (R_BPF_64_64) is on opcode 0xbf,"
                        + " not on a lddw");
        ElfEdit second = edit("xdp_maps");
        fails(second.put(second.relocation(".relxdp", 0), 8, 0x58).bytes(),
                "section xdp, instruction 11: relocation against symbol 'counters' (R_BPF_64_64) is on opcode 0x00");
        ElfEdit call = edit("calls");
        fails(call.put(call.relocation(".relxdp", 0), 8, 0).bytes(),
                "section xdp, instruction 0: relocation against symbol '.text' (R_BPF_64_32) is on opcode 0xbf,"
                        + " not on a call");
        ElfEdit dup = edit("xdp_maps");
        fails(dup.put(dup.relocation(".relxdp", 1), 8, 0x50).bytes(), "instruction 10", "second relocation");
    }

    @Test
    void relocationSymbols() {
        ElfEdit e = edit("xdp_maps");
        int info = e.relocation(".relxdp", 0) + 8;
        fails(e.put(info + 4, 4, 9999).bytes(), "section xdp, relocation 0 at byte 80: symbol index 9999 is out of range"
                + " (19 symbols)");
        ElfEdit lic = edit("xdp_maps");
        fails(lic.put(info + 4, 4, lic.symbolIndex("LICENSE")).bytes(),
                "section xdp, instruction 10: lddw relocated against symbol 'LICENSE': section license holds no map,"
                        + " global data or code");
        ElfEdit file = edit("xdp_maps");
        fails(file.put(info + 4, 4, 1).bytes(), "instruction 10", "symbol 'xdp_maps.c'", "symbol type 4");
        ElfEdit type = edit("xdp_maps");
        fails(UnsupportedFeatureException.class, type.put(info, 4, 3).bytes(),
                "section xdp, instruction 10: relocation against symbol 'counters'", "relocation type 3");
        ElfEdit mid = edit("xdp_maps"); // counters + 8: inside a map, not at its start
        fails(mid.put(mid.contents("xdp") + 10 * 8 + 4, 4, 8).bytes(),
                "instruction 10: lddw relocated against symbol 'counters': byte 8 of section .maps is the start of no map");
        ElfEdit data = edit("tc_globals");
        fails(data.put(data.contents("tc") + 4, 4, 100).bytes(),
                "section tc, instruction 0: lddw relocated against symbol 'packets': offset 100 lies outside .data");
    }

    @Test
    void callTargets() {
        ElfEdit e = edit("calls"); // xdp insn 1: call .text + imm 10 -> twice; make it land inside twice
        fails(e.put(e.contents("xdp") + 8 + 4, 4, 12).bytes(),
                "section xdp, instruction 1: call to instruction 13 of section .text, in the middle of function 'twice'");
        ElfEdit out = edit("calls");
        fails(out.put(out.contents("xdp") + 8 + 4, 4, 500).bytes(),
                "section xdp, instruction 1: call to instruction 501, outside section .text (32 instructions)");
        ElfEdit rel = edit("calls"); // twice -> bump is relative, no relocation: point it past the section
        fails(rel.put(rel.contents(".text") + 12 * 8 + 4, 4, 100).bytes(),
                "section .text, instruction 12: call to instruction 113, outside section .text");
    }

    // ---- BTF

    @Test
    void brokenBtfInAnObject() {
        ElfEdit magic = edit("xdp_maps");
        fails(magic.put(magic.contents(".BTF"), 1, 0).bytes(), "bad.o: bad BTF magic");
        ElfEdit ext = edit("xdp_maps"); // func info: count of the first section = 2^31
        fails(ext.put(ext.contents(".BTF.ext") + 32 + 4 + 4, 4, 0x80000000L).bytes(), "BTF.ext func info",
                "claims 2147483648 records");
        ElfEdit vlen = edit("xdp_maps"); // first type (a PTR) becomes a struct of 0xffff members
        int first = vlen.contents(".BTF") + 24;
        fails(vlen.put(first + 4, 4, 0x0400ffffL).bytes(), "BTF type 1 (STRUCT ''", "more bytes than the type section");
    }

    @Test
    void btfTypeLoopInAnObject() {
        BtfBuilder b = new BtfBuilder();
        b.ptr(3);
        b.typedef("a", 1);
        b.typedef("b", 2);
        byte[] obj = new ElfBuilder().code("xdp", mov(0, 2), exit()).func("prog", "xdp", 0, 16)
                .data(".BTF", 0, b.build()).build();
        fails(obj, "bad.o: BTF type loop: type 1 (PTR)");
    }

    // ---- absurd sizes

    @Test
    void absurdSizes() {
        byte[] bss = new ElfBuilder().code("xdp", mov(0, 2), exit()).func("prog", "xdp", 0, 16)
                .nobits(".bss", 1L << 40).build();
        fails(bss, "section .bss: 1099511627776 bytes of global data, more than the 67108864 supported");
        byte[] bss31 = new ElfBuilder().code("xdp", mov(0, 2), exit()).func("prog", "xdp", 0, 16)
                .nobits(".bss", 1L << 31).build();
        fails(bss31, "section .bss: 2147483648 bytes");
        ElfEdit syms = edit("xdp_maps");
        fails(syms.put(syms.header(".symtab") + 32, 8, 24L << 31).bytes(), "section .symtab: data", "lies outside");
        ElfEdit rel = edit("xdp_maps");
        fails(rel.put(rel.header(".relxdp") + 32, 8, 16L << 31).bytes(), "section .relxdp: data", "lies outside");
        ElfEdit maps = edit("legacy"); // max_entries 2^32 - 1
        fails(maps.put(maps.contents("maps") + 12, 4, 0xffffffffL).bytes(),
                "section maps, map 'inports': max_entries 4294967295 is too large");
    }

    // ---- features built by hand

    static byte[] program(long... code) {
        return new ElfBuilder().code("xdp", code).func("prog", "xdp", 0, code.length * 8L).license("GPL").build();
    }

    @Test
    void unsupportedInstructions() {
        fails(UnsupportedFeatureException.class, program(call(2, 1234), exit()),
                "section xdp, instruction 0: kfunc calls (call with src 2, BTF id 1234) are not supported");
        fails(UnsupportedFeatureException.class, program(concat(lddw(1, 1, 3), exit())),
                "section xdp, instruction 0: lddw with pseudo source 1 (MAP_FD) and no relocation is not supported");
        fails(program(mov(0, 0), slot(0x18, 1, 0, 0, 0)), "section xdp, instruction 1: lddw is cut short");
        fails(program(call(1, 5), exit()), "section xdp, instruction 0: call to instruction 6, outside section xdp");
    }

    @Test
    void externsAndUnsupportedRelocations() {
        byte[] extern = new ElfBuilder().code("xdp", concat(lddw(1, 0, 0), exit())).func("prog", "xdp", 0, 24)
                .symbol("CONFIG_HZ", null, 0, 0, ElfFile.STT_NOTYPE, ElfFile.STB_GLOBAL)
                .rel("xdp", 0, ObjectReader.R_BPF_64_64, "CONFIG_HZ").build();
        fails(UnsupportedFeatureException.class, extern, "section xdp, instruction 0: lddw relocated against symbol"
                + " 'CONFIG_HZ': extern symbols (.kconfig, .ksyms) are not supported");
        byte[] kfunc = new ElfBuilder().code("xdp", call(1, -1), exit()).func("prog", "xdp", 0, 16)
                .symbol("bpf_kfunc", null, 0, 0, ElfFile.STT_FUNC, ElfFile.STB_GLOBAL)
                .rel("xdp", 0, ObjectReader.R_BPF_64_32, "bpf_kfunc").build();
        fails(UnsupportedFeatureException.class, kfunc, "instruction 0", "'bpf_kfunc'", "kfuncs");
        byte[] abs = new ElfBuilder().code("xdp", concat(lddw(1, 0, 0), exit())).func("prog", "xdp", 0, 24)
                .symbol("K", "ABS", 5, 0, ElfFile.STT_NOTYPE, ElfFile.STB_GLOBAL)
                .rel("xdp", 0, ObjectReader.R_BPF_64_64, "K").build();
        fails(abs, "instruction 0", "symbol 'K'", "absolute");
        byte[] second = new ElfBuilder().code("xdp", concat(lddw(1, 0, 0), exit())).func("prog", "xdp", 0, 24)
                .data(".data", WA, new byte[8]).object("x", ".data", 0, 8).rel("xdp", 8, ObjectReader.R_BPF_64_64, "x")
                .build();
        fails(second, "section xdp, instruction 1: relocation against symbol 'x' (R_BPF_64_64) is on opcode 0x00");
        byte[] dataRel = new ElfBuilder().code("xdp", mov(0, 2), exit()).func("prog", "xdp", 0, 16)
                .data(".data", WA, new byte[8]).object("p", ".data", 0, 8).rel(".data", 0, 2, "prog").build();
        fails(UnsupportedFeatureException.class, dataRel, "section .data: relocations in global data are not supported");
        byte[] rela = new ElfBuilder().code("xdp", mov(0, 2), exit()).func("prog", "xdp", 0, 16)
                .rel("xdp", 0, 1, "prog").build();
        ElfEdit e = new ElfEdit(rela);
        fails(UnsupportedFeatureException.class, e.put(e.header(".relxdp") + 4, 4, ElfFile.SHT_RELA).bytes(), "RELA");
    }

    // ---- linking cases clang's objects do not show

    @Test
    void aSectionWithoutFunctionSymbolsIsOneProgram() {
        BpfObject o = ObjectReader.read("x.o", new ElfBuilder().code("classifier", mov(0, 0), exit()).build());
        ProgramSpec p = o.programs().getFirst();
        assertEquals("classifier", p.name());
        assertEquals(ProgramType.SCHED_CLS, p.type());
        assertEquals(2, p.code().length);
        assertEquals("", o.license());
        assertTrue(o.btf().isEmpty());
    }

    @Test
    void unknownSectionNamesGiveUnspecifiedType() {
        BpfObject o = ObjectReader.read("x.o", new ElfBuilder().code("kprobe/foo", mov(0, 0), exit())
                .func("k", "kprobe/foo", 0, 16).build());
        assertEquals(ProgramType.UNSPEC, o.programs().getFirst().type());
    }

    @Test
    void relativeCallsAndFunctionReferencesWithinASection() {
        // prog: call +2 (-> helper at 3), lddw src=4 (-> helper), exit; helper: r0 = 1; exit
        long[] code = concat(call(1, 3), lddw(2, 4, 2), exit(), mov(0, 1), exit());
        byte[] obj = new ElfBuilder().code("xdp", code).func("prog", "xdp", 0, 32)
                .symbol("helper", "xdp", 32, 16, ElfFile.STT_FUNC, ElfFile.STB_LOCAL).build();
        BpfObject o = ObjectReader.read("x.o", obj);
        assertEquals(List.of("prog", "helper"), o.programs().stream().map(ProgramSpec::name).toList(),
                "every function of a program section is a program");
        ProgramSpec p = o.programs().getFirst();
        assertEquals(6, p.code().length);
        assertEquals(List.of(0, 4), p.functions().stream().map(f -> f.instruction()).toList());
        assertEquals(3, Slot.imm(p.code()[0]), "call +3 lands at 4");
        assertEquals(4, Slot.src(p.code()[1]));
        assertEquals(2, Slot.imm(p.code()[1]), "lddw at 1 refers to the helper at 4");
    }

    @Test
    void recursionIsPlacedOnce() {
        // a (.text, global) calls b, b calls a and itself: both .text-only programs, each with the other appended
        long[] text = concat(call(1, 1), exit(), call(1, -3), call(1, -2), exit());
        byte[] obj = new ElfBuilder().code(".text", text).func("a", ".text", 0, 16).func("b", ".text", 16, 24).build();
        BpfObject o = ObjectReader.read("x.o", obj);
        assertEquals(List.of("a", "b"), o.programs().stream().map(ProgramSpec::name).toList());
        assertTrue(o.programs().stream().allMatch(p -> p.type() == ProgramType.UNSPEC));
        ProgramSpec a = o.programs().get(0);
        assertEquals(5, a.code().length);
        assertEquals(List.of(0, 2), a.functions().stream().map(f -> f.instruction()).toList());
        assertEquals(1, Slot.imm(a.code()[0])); // a -> b at 2
        assertEquals(-3, Slot.imm(a.code()[2])); // b -> a at 0
        assertEquals(-2, Slot.imm(a.code()[3])); // b -> b at 2
        ProgramSpec b = o.programs().get(1);
        assertEquals(List.of(0, 3), b.functions().stream().map(f -> f.instruction()).toList());
        assertEquals(2, Slot.imm(b.code()[0])); // b -> a at 3
        assertEquals(-2, Slot.imm(b.code()[1])); // b -> b at 0
        assertEquals(-4, Slot.imm(b.code()[3])); // a -> b at 0
    }

    @Test
    void staticTextFunctionsAreNoPrograms() {
        byte[] obj = new ElfBuilder().code(".text", mov(0, 1), exit())
                .symbol("helper", ".text", 0, 16, ElfFile.STT_FUNC, ElfFile.STB_LOCAL).build();
        assertEquals(List.of(), ObjectReader.read("x.o", obj).programs());
    }

    // ---- legacy maps by hand

    static byte[] legacyObject(byte[] maps, long... symbolSizes) {
        ElfBuilder b = new ElfBuilder().code(".text", concat(lddw(1, 0, 0), exit())).func("prog", ".text", 0, 24)
                .data("maps", WA, maps);
        long at = 0;
        for (int i = 0; i < symbolSizes.length; i++) {
            b.object("m" + i, "maps", at, symbolSizes[i]);
            at += symbolSizes[i] == 0 ? maps.length / symbolSizes.length : symbolSizes[i];
        }
        return b.rel(".text", 0, ObjectReader.R_BPF_64_64, "m" + (symbolSizes.length - 1)).build();
    }

    static byte[] words(long... w) {
        byte[] b = new byte[w.length * 4];
        for (int i = 0; i < w.length; i++) {
            put(b, i * 4, 4, w[i]);
        }
        return b;
    }

    @Test
    void iproute2LegacyMaps() {
        // struct bpf_elf_map: type, key, value, max, flags, id, pinning, inner_id, inner_idx
        byte[] maps = words(1, 4, 8, 16, 1, 0, 2, 0, 0, 2, 4, 4, 1, 0, 0, 0, 0, 0);
        BpfObject o = ObjectReader.read("x.o", legacyObject(maps, 36, 36));
        assertEquals(List.of(new MapSpec("m0", MapType.HASH, 4, 8, 16, 1, MapSpec.Pinning.BY_NAME, null, null, Map.of(),
                0, 0, MapSpec.Kind.LEGACY), MapSpec.of("m1", MapType.ARRAY, 4, 4, 1)), o.maps());
        assertEquals(1, Slot.imm(o.programs().getFirst().code()[0]));
        assertEquals(5, Slot.src(o.programs().getFirst().code()[0]));

        BpfObject even = ObjectReader.read("x.o", legacyObject(words(1, 4, 8, 16, 0, 2, 4, 4, 1, 0), 0, 0));
        assertEquals(List.of(MapSpec.of("m0", MapType.HASH, 4, 8, 16), MapSpec.of("m1", MapType.ARRAY, 4, 4, 1)),
                even.maps(), "symbols without size: the section divided evenly");

        fails(UnsupportedFeatureException.class, legacyObject(words(1, 4, 8, 16, 0, 0, 0, 7, 0), 36),
                "section maps, map 'm0': inner_id/inner_idx");
        fails(UnsupportedFeatureException.class, legacyObject(words(12, 4, 4, 16, 0), 20), "legacy map-in-maps");
        fails(legacyObject(words(99, 4, 4, 16, 0), 20), "section maps, map 'm0': unknown map type 99");
        fails(legacyObject(words(1, 4, 4), 12), "section maps, map 'm0': 12 bytes, too small");
        fails(legacyObject(words(1, 4, 4, 1, 0), 40), "section maps, map 'm0': bytes 0 to 40 lie outside");
        fails(UnsupportedFeatureException.class, legacyObject(words(1, 4, 8, 16, 1, 0, 9), 28), "pinning 9");
    }

    // ---- BTF-defined maps by hand

    /** An object with one BTF map 'm' whose struct has the given members (name, type id, bit offset). */
    static byte[] btfMap(java.util.function.Function<BtfBuilder, Object[]> members) {
        BtfBuilder b = new BtfBuilder();
        b.integer("int", 4, BtfType.Int.SIGNED); // 1
        Object[] m = members.apply(b);
        int st = b.struct("", 8 * (m.length / 3), m);
        int var = b.var("m", st);
        b.datasec(".maps", 0, var, 0, 8L * (m.length / 3));
        return new ElfBuilder().code("xdp", concat(lddw(1, 0, 0), exit())).func("prog", "xdp", 0, 24)
                .data(".maps", WA, new byte[8 * (m.length / 3)]).object("m", ".maps", 0, 8L * (m.length / 3))
                .rel("xdp", 0, ObjectReader.R_BPF_64_64, "m").data(".BTF", 0, b.build()).build();
    }

    @Test
    void btfMapAttributes() {
        BpfObject o = ObjectReader.read("x.o", btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0,
                "key_size", b.uintAttr(1, 4), 64, "value", b.ptr(b.array(1, 1, 3)), 128, "max_entries",
                b.uintAttr(1, 10), 192, "numa_node", b.uintAttr(1, 0), 256}));
        MapSpec m = o.maps().getFirst();
        assertEquals(List.of(4, 12, 10), List.of(m.keySize(), m.valueSize(), m.maxEntries()));
        assertEquals(0, m.btfKeyTypeId());
        assertEquals(0, Slot.imm(o.programs().getFirst().code()[0]));
        assertEquals(5, Slot.src(o.programs().getFirst().code()[0]));

        fails(UnsupportedFeatureException.class, btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "foo",
                b.uintAttr(1, 1), 64}), "section .maps, map 'm': unknown attribute 'foo'");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "key_size", b.uintAttr(1, 8), 64, "key", b.ptr(1),
                128}), "map 'm': key_size 8 differs from the size 4 of its key type");
        fails(btfMap(b -> new Object[] {"max_entries", b.uintAttr(1, 1), 0}), "map 'm': no 'type' attribute");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 77), 0}), "map 'm': unknown map type 77");
        fails(btfMap(b -> new Object[] {"type", 1, 0}), "map 'm': attribute 'type' is not declared with __uint");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "key", 1, 64}),
                "map 'm': attribute 'key' is not declared with __type");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 12), 0}),
                "map 'm': a array_of_maps needs its inner map's definition");
        fails(UnsupportedFeatureException.class, btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "pinning",
                b.uintAttr(1, 2), 64}), "pinning 2 is not supported");
        fails(UnsupportedFeatureException.class, btfMap(b -> new Object[] {"type", b.uintAttr(1, 30), 0, "map_extra",
                b.uintAttr(1, 3), 64}), "map_extra is not supported");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "key", b.ptr(b.raw(7, "fwd", 0, false, 0)), 64}),
                "map 'm'", "has no size");
        fails(btfMap(b -> new Object[] {"type", b.uintAttr(1, 1), 0, "max_entries", b.uintAttr(1, 0x80000000L), 64}),
                "max_entries 2147483648 is too large");
    }
}
