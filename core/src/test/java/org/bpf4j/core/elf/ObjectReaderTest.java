package org.bpf4j.core.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bpf4j.core.btf.Btf;
import org.bpf4j.core.btf.BtfKind;
import org.bpf4j.core.btf.BtfType;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.InstructionCodec;
import org.bpf4j.core.isa.Opcodes;
import org.bpf4j.core.isa.Slot;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.FunctionInfo;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.object.SourceLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Reads each compiled test object and checks programs, maps, relocations, line info and license. */
class ObjectReaderTest {

    // ---- helpers

    /** Every lddw of a program: slot index, pseudo source, low imm, high imm. */
    record Lddw(int at, int src, int imm, int high) {}

    static List<Lddw> lddws(ProgramSpec p) {
        List<Lddw> out = new ArrayList<>();
        long[] c = p.code();
        for (int i = 0; i < c.length; i++) {
            if (Slot.opcode(c[i]) == Opcodes.LDDW) {
                out.add(new Lddw(i, Slot.src(c[i]), Slot.imm(c[i]), Slot.imm(c[i + 1])));
                i++;
            }
        }
        return out;
    }

    /** Slot index → target slot index of every local call. */
    static Map<Integer, Integer> localCalls(ProgramSpec p) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        long[] c = p.code();
        for (int i = 0; i < c.length; i++) {
            if (Slot.opcode(c[i]) == Opcodes.LDDW) {
                i++;
            } else if (Slot.opcode(c[i]) == (Opcodes.CLASS_JMP | Opcodes.JMP_CALL) && Slot.src(c[i]) == 1) {
                out.put(i, i + 1 + Slot.imm(c[i]));
            }
        }
        return out;
    }

    static int functionStart(ProgramSpec p, String name) {
        return p.functions().stream().filter(f -> f.name().equals(name)).mapToInt(FunctionInfo::instruction)
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + p.functions()));
    }

    static SourceLine lineContaining(ProgramSpec p, String fragment) {
        return p.lines().stream().filter(l -> l.text().contains(fragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no line info with " + fragment));
    }

    static MapSpec map(BpfObject o, String name) {
        return o.map(name).orElseThrow(() -> new AssertionError("no map " + name + " in " + o.maps()));
    }

    static ProgramSpec program(BpfObject o, String name) {
        ProgramSpec p = o.program(name).orElseThrow(() -> new AssertionError("no program " + name));
        assertEquals(name, p.name());
        return p;
    }

    // ---- every object

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#GOOD")
    void everyRelocatedLddwIsInIndexFormAndEveryCallLandsOnAFunction(String name) {
        BpfObject o = TestObjects.read(name);
        assertFalse(o.programs().isEmpty());
        for (ProgramSpec p : o.programs()) {
            InstructionCodec.decode(p.code()); // the linked code decodes
            for (Lddw l : lddws(p)) {
                switch (l.src()) {
                    case Opcodes.PSEUDO_MAP_IDX -> {
                        assertTrue(l.imm() >= 0 && l.imm() < o.maps().size(), name + ": " + l);
                        assertEquals(0, l.high());
                    }
                    case Opcodes.PSEUDO_MAP_IDX_VALUE -> {
                        assertTrue(l.imm() >= 0 && l.imm() < o.maps().size(), name + ": " + l);
                        assertTrue(l.high() >= 0 && l.high() < o.maps().get(l.imm()).valueSize(), name + ": " + l);
                    }
                    case Opcodes.PSEUDO_FUNC -> assertTrue(p.functions().stream()
                            .anyMatch(f -> f.instruction() == l.at() + 1 + l.imm()), name + ": " + l);
                    case 0 -> { } // a plain 64-bit constant
                    default -> fail(name + ": unexpected lddw source " + l);
                }
            }
            for (var call : localCalls(p).entrySet()) {
                assertTrue(p.functions().stream().anyMatch(f -> f.instruction() == call.getValue()),
                        name + ": call at " + call.getKey() + " lands at " + call.getValue() + ", not a function");
            }
            assertEquals(0, p.functions().getFirst().instruction());
            assertEquals(p.name(), p.functions().getFirst().name());
            assertEquals(o.license(), p.license());
            for (int i = 1; i < p.lines().size(); i++) {
                assertTrue(p.lines().get(i - 1).instruction() <= p.lines().get(i).instruction());
            }
            assertTrue(p.lines().stream().allMatch(l -> l.instruction() >= 0 && l.instruction() < p.code().length));
            assertTrue(p.lines().stream().allMatch(l -> l.file().endsWith(name + ".c")), name);
        }
        assertTrue(o.btf().isPresent());
        Btf btf = Btf.parse(o.btf().get());
        for (ProgramSpec p : o.programs()) {
            for (FunctionInfo f : p.functions()) {
                assertEquals(new BtfType.Func(f.name(), ((BtfType.Func) btf.type(f.btfTypeId())).type(),
                        ((BtfType.Func) btf.type(f.btfTypeId())).linkage()), btf.type(f.btfTypeId()));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#GOOD")
    void readsFromAFile(String name, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(name + ".o");
        Files.write(file, TestObjects.bytes(name));
        BpfObject o = ObjectReader.read(file);
        assertEquals(name + ".o", o.name());
        assertEquals(TestObjects.read(name).programs(), o.programs());
        assertEquals(TestObjects.read(name).maps(), o.maps());
    }

    @ParameterizedTest
    @FieldSource("org.bpf4j.core.elf.TestObjects#GOOD")
    void storedBtfHasDatasecsLaidOutFromTheElfSections(String name) {
        BpfObject o = TestObjects.read(name);
        Btf btf = Btf.parse(o.btf().orElseThrow());
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Datasec d) {
                assertTrue(d.size() > 0, name + ": DATASEC " + d.name() + " still has size 0");
                long end = 0;
                for (BtfType.VarSecInfo v : d.vars()) {
                    assertTrue(v.offset() >= end, name + ": " + d + " is not sorted or overlaps");
                    end = v.offset() + v.size();
                }
                assertTrue(end <= d.size(), name + ": " + d);
            }
        }
    }

    // ---- xdp_maps: a BTF hash map and an array

    @Test
    void xdpMaps() {
        BpfObject o = TestObjects.read("xdp_maps");
        assertEquals("GPL", o.license());
        assertEquals(1, o.programs().size());
        ProgramSpec p = program(o, "xdp_count");
        assertEquals("xdp", p.section());
        assertEquals(ProgramType.XDP, p.type());
        assertEquals(43, p.code().length);
        assertEquals(List.of(new FunctionInfo(0, "xdp_count", p.functions().getFirst().btfTypeId())), p.functions());

        assertEquals(2, o.maps().size());
        Btf btf = Btf.parse(o.btf().orElseThrow());
        MapSpec counters = map(o, "counters");
        assertEquals(new MapSpec("counters", MapType.ARRAY, 4, 8, 4, 0, MapSpec.Pinning.BY_NAME, null, null, Map.of(),
                0, 0, MapSpec.Kind.BTF_DEFINED), counters);
        MapSpec flows = map(o, "flows");
        assertEquals(MapType.HASH, flows.type());
        assertEquals(12, flows.keySize());
        assertEquals(8, flows.valueSize());
        assertEquals(1024, flows.maxEntries());
        assertEquals(MapSpec.F_NO_PREALLOC, flows.flags());
        assertEquals(MapSpec.Pinning.NONE, flows.pinning());
        assertEquals(MapSpec.Kind.BTF_DEFINED, flows.kind());
        assertNull(flows.innerMap());
        assertNull(flows.initialData());
        assertEquals(new BtfType.Struct("flow_key", 12, false, ((BtfType.Struct) btf.type(flows.btfKeyTypeId())).members()),
                btf.type(flows.btfKeyTypeId()));
        assertEquals("__u64", btf.type(flows.btfValueTypeId()).name());
        assertEquals(8, btf.sizeOf(flows.btfValueTypeId()));

        int c = o.mapIndex("counters"), f = o.mapIndex("flows");
        assertEquals(List.of(new Lddw(10, 5, c, 0), new Lddw(25, 5, f, 0), new Lddw(37, 5, f, 0)), lddws(p));

        SourceLine lookup = lineContaining(p, "bpf_map_lookup_elem(&counters");
        assertEquals(10, lookup.instruction());
        assertEquals(TestObjects.line("xdp_maps", "bpf_map_lookup_elem(&counters"), lookup.line());
        assertEquals("./xdp_maps.c", lookup.file());
        assertEquals(16, lookup.column());
        assertEquals("    __u64 *c = bpf_map_lookup_elem(&counters, &idx);", lookup.text());
        assertEquals(lookup, p.lineOf(11));
        assertEquals(TestObjects.line("xdp_maps", "return XDP_PASS;"), p.lineOf(42).line());
    }

    // ---- tc_globals: .data, .rodata, .bss

    @Test
    void tcGlobals() {
        BpfObject o = TestObjects.read("tc_globals");
        assertEquals("Dual BSD/GPL", o.license());
        ProgramSpec p = program(o, "tc_prog");
        assertEquals("tc", p.section());
        assertEquals(ProgramType.SCHED_CLS, p.type());
        assertEquals(34, p.code().length);

        assertEquals(List.of(".data", ".rodata", ".bss"), o.maps().stream().map(MapSpec::name).toList());
        Btf btf = Btf.parse(o.btf().orElseThrow());
        MapSpec data = map(o, ".data");
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 7).putLong(8, 0x1122);
        assertEquals(new MapSpec(".data", MapType.ARRAY, 4, 16, 1, 0, MapSpec.Pinning.NONE, null, d.array(), Map.of(),
                0, btf.find(BtfKind.DATASEC, ".data").orElseThrow(), MapSpec.Kind.DATA), data);
        MapSpec rodata = map(o, ".rodata");
        ByteBuffer r = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 100).putInt(4, 0);
        assertEquals(new MapSpec(".rodata", MapType.ARRAY, 4, 8, 1, MapSpec.F_RDONLY_PROG, MapSpec.Pinning.NONE, null,
                r.array(), Map.of(), 0, btf.find(BtfKind.DATASEC, ".rodata").orElseThrow(), MapSpec.Kind.RODATA),
                rodata);
        assertTrue(rodata.readOnlyForPrograms());
        MapSpec bss = map(o, ".bss");
        assertEquals(new MapSpec(".bss", MapType.ARRAY, 4, 24, 1, 0, MapSpec.Pinning.NONE, null, new byte[24], Map.of(),
                0, btf.find(BtfKind.DATASEC, ".bss").orElseThrow(), MapSpec.Kind.BSS), bss);

        int di = o.mapIndex(".data"), ri = o.mapIndex(".rodata"), bi = o.mapIndex(".bss");
        assertEquals(List.of(new Lddw(0, 6, di, 0), // packets
                new Lddw(6, 6, di, 8), // bytes_seen
                new Lddw(12, 6, ri, 0), // limit
                new Lddw(16, 6, bi, 0), // dropped
                new Lddw(24, 6, bi, 8), // scratch
                new Lddw(30, 6, ri, 4)), // verdict
                lddws(p));
        assertEquals(16, lineContaining(p, "dropped++").instruction());
        assertEquals(30, lineContaining(p, "return verdict").instruction());
    }

    // ---- calls: static noinline functions and a global function

    @Test
    void bpfToBpfCalls() {
        BpfObject o = TestObjects.read("calls");
        assertEquals(List.of("xdp_calls", "tc_calls"), o.programs().stream().map(ProgramSpec::name).toList(),
                "global_check is a subprogram of .text, not a program, since other sections hold programs");

        ProgramSpec xdp = program(o, "xdp_calls");
        assertEquals(ProgramType.XDP, xdp.type());
        assertEquals(List.of("xdp_calls", "twice", "global_check", "bump"),
                xdp.functions().stream().map(FunctionInfo::name).toList());
        int twice = functionStart(xdp, "twice"), global = functionStart(xdp, "global_check");
        int bump = functionStart(xdp, "bump");
        assertEquals(List.of(0, 18, 25, 36), xdp.functions().stream().map(FunctionInfo::instruction).toList());
        assertEquals(18 + 7 + 11 + 14, xdp.code().length, "each function once: 18 + twice 7 + global_check 11 + bump 14");
        assertEquals(Map.of(1, twice, 4, global, 9, bump, 19, bump, 22, bump), localCalls(xdp));
        assertEquals(List.of(new Lddw(39, 5, o.mapIndex("stats"), 0)), lddws(xdp));
        assertEquals(8, lineContaining(xdp, "n += bump(1)").instruction());
        assertEquals(bump + 8, lineContaining(xdp, "*v += 1").instruction());
        assertEquals(TestObjects.line("calls", "*v += 1"), xdp.lineOf(bump + 9).line());

        ProgramSpec tc = program(o, "tc_calls");
        assertEquals(ProgramType.SCHED_CLS, tc.type());
        assertEquals(List.of(new FunctionInfo(0, "tc_calls", tc.functions().get(0).btfTypeId()),
                new FunctionInfo(11, "bump", xdp.functions().get(3).btfTypeId())), tc.functions());
        assertEquals(Map.of(2, 11), localCalls(tc));
        assertEquals(11 + 8, lineContaining(tc, "*v += 1").instruction());

        // bump's code is the same in both programs
        assertArrayEquals(java.util.Arrays.copyOfRange(xdp.code(), bump, bump + 14),
                java.util.Arrays.copyOfRange(tc.code(), 11, 25));
        assertEquals(new MapSpec("stats", MapType.ARRAY, 4, 8, 2, 0, MapSpec.Pinning.NONE, null, null, Map.of(),
                map(o, "stats").btfKeyTypeId(), map(o, "stats").btfValueTypeId(), MapSpec.Kind.BTF_DEFINED),
                map(o, "stats"));
    }

    // ---- two programs in one section, and a socket filter

    @Test
    void twoProgramsInOneSection() {
        BpfObject o = TestObjects.read("two_progs");
        assertEquals(List.of("xdp_pass", "xdp_drop_small", "sock_all"),
                o.programs().stream().map(ProgramSpec::name).toList());
        assertEquals(List.of("xdp", "xdp", "socket"), o.programs().stream().map(ProgramSpec::section).toList());
        assertEquals(List.of(ProgramType.XDP, ProgramType.XDP, ProgramType.SOCKET_FILTER),
                o.programs().stream().map(ProgramSpec::type).toList());
        assertEquals(List.of(2, 7, 2), o.programs().stream().map(p -> p.code().length).toList());
        assertEquals(List.of(), o.maps());
        assertEquals("xdp_pass", o.program("xdp").orElseThrow().name(), "by section: the first program");
        ProgramSpec drop = program(o, "xdp_drop_small");
        assertEquals(List.of(new Instruction.Alu(true, org.bpf4j.core.isa.AluOp.MOV, 0, new org.bpf4j.core.isa.Operand.Imm(2)),
                new Instruction.Exit()), InstructionCodec.decode(program(o, "xdp_pass").code()));
        assertEquals(2, lineContaining(drop, "data + 60 > data_end").instruction());
        assertEquals(0, lineContaining(program(o, "sock_all"), "return skb->len").instruction());
    }

    // ---- tail calls: a prog_array with initial values

    @Test
    void progArrayWithInitialValues() {
        BpfObject o = TestObjects.read("tailcall");
        assertEquals(List.of("tail_a", "tail_b", "entry"), o.programs().stream().map(ProgramSpec::name).toList());
        MapSpec jt = map(o, "jump_table");
        assertEquals(new MapSpec("jump_table", MapType.PROG_ARRAY, 4, 4, 4, 0, MapSpec.Pinning.NONE, null, null,
                Map.of(0, "tail_a", 2, "tail_b"), 0, 0, MapSpec.Kind.BTF_DEFINED), jt);
        ProgramSpec entry = program(o, "entry");
        assertEquals(List.of(new Lddw(2, 5, 0, 0)), lddws(entry));
        assertEquals(7, entry.code().length);
        assertEquals(0, lineContaining(entry, "bpf_tail_call").instruction());
    }

    // ---- map in map

    @Test
    void arrayOfMapsWithInnerMap() {
        BpfObject o = TestObjects.read("map_in_map");
        assertEquals(List.of("inner0", "outer"), o.maps().stream().map(MapSpec::name).toList());
        MapSpec inner0 = map(o, "inner0");
        assertEquals(MapType.ARRAY, inner0.type());
        assertEquals(List.of(4, 4, 8), List.of(inner0.keySize(), inner0.valueSize(), inner0.maxEntries()));
        MapSpec outer = map(o, "outer");
        assertEquals(MapType.ARRAY_OF_MAPS, outer.type());
        assertEquals(List.of(4, 4, 2, 0), List.of(outer.keySize(), outer.valueSize(), outer.maxEntries(), outer.flags()));
        assertEquals(Map.of(1, "inner0"), outer.initialMaps());
        assertEquals(Map.of(), outer.initialPrograms());
        MapSpec template = outer.innerMap();
        assertNotNull(template);
        assertEquals(new MapSpec("outer.inner", MapType.ARRAY, 4, 4, 8, 0, MapSpec.Pinning.NONE, null, null, Map.of(),
                inner0.btfKeyTypeId(), inner0.btfValueTypeId(), MapSpec.Kind.BTF_DEFINED), template);
        ProgramSpec p = program(o, "mim");
        assertEquals(List.of(new Lddw(4, 5, o.mapIndex("outer"), 0)), lddws(p));
    }

    // ---- BPFabric style: legacy maps and a .text function

    @Test
    void legacyMapsAndATextOnlyProgram() {
        BpfObject o = TestObjects.read("legacy");
        assertEquals("GPL", o.license());
        ProgramSpec p = program(o, "prog");
        assertEquals(".text", p.section());
        assertEquals(ProgramType.UNSPEC, p.type());
        assertEquals(0, ProgramType.UNSPEC.kernelId());
        assertEquals(ProgramType.BPFABRIC, p.withType(ProgramType.BPFABRIC).type());
        assertEquals(32, p.code().length);
        assertEquals(List.of(MapSpec.of("inports", MapType.HASH, 6, 4, 256), MapSpec.of("stats", MapType.ARRAY, 4, 8, 16)),
                o.maps());
        int in = o.mapIndex("inports"), st = o.mapIndex("stats");
        assertEquals(List.of(new Lddw(8, 5, in, 0), new Lddw(15, 5, st, 0), new Lddw(22, 5, in, 0),
                new Lddw(27, 0, 0xfffffffd, 0)), lddws(p));
        assertEquals(15, lineContaining(p, "bpf_map_lookup_elem(&stats").instruction());
    }

    // ---- bpf_loop callback: lddw PSEUDO_FUNC

    @Test
    void bpfLoopCallback() {
        BpfObject o = TestObjects.read("loop");
        ProgramSpec p = program(o, "xdp_loop");
        assertEquals(List.of("xdp_loop", "add_one"), p.functions().stream().map(FunctionInfo::name).toList());
        int cb = functionStart(p, "add_one");
        assertEquals(14, cb);
        assertEquals(List.of(new Lddw(5, 4, cb - 6, 0)), lddws(p));
        assertEquals(new Instruction.Call(Instruction.Call.Kind.HELPER, 181, (short) 0),
                InstructionCodec.decode(p.code(), 8));
        assertEquals(cb, lineContaining(p, "c->sum += index").instruction());
    }

    // ---- section names, static globals through section symbols, string literals

    @Test
    void sectionNamesStaticGlobalsAndStrings() {
        BpfObject o = TestObjects.read("misc");
        assertEquals(List.of("frags", "ingress", "egress"), o.programs().stream().map(ProgramSpec::name).toList());
        assertEquals(List.of("xdp.frags", "tcx/ingress", "tcx/egress"),
                o.programs().stream().map(ProgramSpec::section).toList());
        assertEquals(List.of(ProgramType.XDP, ProgramType.SCHED_CLS, ProgramType.SCHED_CLS),
                o.programs().stream().map(ProgramSpec::type).toList());
        assertEquals(List.of(".bss", ".data", ".rodata.str1.1"), o.maps().stream().map(MapSpec::name).toList());
        MapSpec str = map(o, ".rodata.str1.1");
        assertEquals(MapSpec.Kind.RODATA, str.kind());
        assertEquals(MapSpec.F_RDONLY_PROG, str.flags());
        assertEquals("ingress %d\n\0", new String(str.initialData(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(List.of(42, 0, 0, 0), java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> (int) map(o, ".data").initialData()[i]).toList());
        assertEquals(List.of(new Lddw(0, 6, o.mapIndex(".bss"), 0), new Lddw(5, 6, o.mapIndex(".data"), 0)),
                lddws(program(o, "frags")));
        assertEquals(List.of(new Lddw(1, 6, o.mapIndex(".rodata.str1.1"), 0)), lddws(program(o, "ingress")));
        assertEquals(List.of(new Lddw(0, 6, o.mapIndex(".bss"), 0)), lddws(program(o, "egress")));
    }

    // ---- CO-RE is refused

    @Test
    void coreRelocationsAreRefused() {
        var e = assertThrows(UnsupportedFeatureException.class, () -> TestObjects.read("core"));
        assertTrue(e.getMessage().startsWith("core.o: "), e.getMessage());
        assertTrue(e.getMessage().contains("section xdp"), e.getMessage());
        assertTrue(e.getMessage().contains("instruction 0"), e.getMessage());
        assertTrue(e.getMessage().contains("CO-RE relocations are not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("pkt_meta"), e.getMessage());
    }
}
