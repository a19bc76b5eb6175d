package org.bpf4j.core.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.bpf4j.core.btf.Btf;
import org.bpf4j.core.btf.BtfFormatException;
import org.bpf4j.core.btf.BtfKind;
import org.bpf4j.core.btf.BtfType;
import org.bpf4j.core.elf.ElfFile.Section;
import org.bpf4j.core.elf.ElfFile.Symbol;
import org.bpf4j.core.elf.ObjectReader.MapSlot;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;

/**
 * The maps of an object, in this order: BTF-defined maps of {@code .maps} (by offset), legacy maps of {@code maps}
 * (by offset), then one single-entry array per non-empty global data section (in section order).
 *
 * <p>A BTF-defined map is a variable of the {@code .maps} DATASEC whose type is a struct of these members, as
 * libbpf's {@code bpf_helpers.h} macros declare them: {@code __uint(name, N)} ({@code int (*name)[N]}) for
 * {@code type}, {@code max_entries}, {@code map_flags}, {@code key_size}, {@code value_size}, {@code pinning},
 * {@code numa_node} (ignored) and {@code map_extra} (only 0); {@code __type(key, T)} and {@code __type(value, T)}
 * ({@code T *key}), whose sizes come from BTF; {@code __array(values, T)} ({@code T *values[]}) with a struct T for
 * the inner map of a map-in-map or a function prototype for a program array. Initial values of those come from
 * the {@code R_BPF_64_ABS64} relocations of {@code .maps}. Anything else is an error naming the map.
 *
 * <p>A legacy map is a symbol of {@code maps}: {@code struct bpf_map_def} (type, key_size, value_size, max_entries
 * and, from 20 bytes on, map_flags), or iproute2's longer {@code struct bpf_elf_map} (then id, pinning at byte 24,
 * inner_id and inner_idx). Each entry's size is its symbol's size (or the section's size divided evenly when the
 * symbols have none). Pinning 1 and 2 (iproute2's object and global namespaces) are read as
 * {@link MapSpec.Pinning#BY_NAME}; legacy map-in-maps are not supported.
 */
final class MapReader {
    private final ElfFile elf;
    private final Btf btf;
    private final List<MapSpec> maps;
    private final List<MapSlot> slots;
    private final Map<Integer, Integer> dataMaps;
    private final Predicate<Symbol> isProgram;

    MapReader(ElfFile elf, Btf btf, List<MapSpec> maps, List<MapSlot> slots, Map<Integer, Integer> dataMaps,
            Predicate<Symbol> isProgram) {
        this.elf = elf;
        this.btf = btf;
        this.maps = maps;
        this.slots = slots;
        this.dataMaps = dataMaps;
        this.isProgram = isProgram;
    }

    void read() {
        Section btfMaps = elf.section(".maps");
        if (btfMaps != null && btfMaps.size() > 0) {
            readBtfMaps(btfMaps);
        }
        Section legacy = elf.section("maps");
        if (legacy != null && legacy.size() > 0) {
            readLegacyMaps(legacy);
        }
        for (Section s : elf.sections) {
            if (isGlobalData(s)) {
                readGlobalData(s);
            }
        }
    }

    static boolean isGlobalData(Section s) {
        if (s.executable() || !s.alloc() || (s.type() != ElfFile.SHT_PROGBITS && s.type() != ElfFile.SHT_NOBITS)) {
            return false;
        }
        String n = s.name();
        for (String prefix : new String[] {".data", ".rodata", ".bss"}) {
            if (n.equals(prefix) || n.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    // ---- global data

    private void readGlobalData(Section s) {
        if (s.size() == 0) {
            return;
        }
        if (s.size() < 0 || s.size() > ObjectReader.MAX_GLOBAL_DATA) {
            throw new ObjectFormatException("section " + s.name() + ": " + Long.toUnsignedString(s.size())
                    + " bytes of global data, more than the " + ObjectReader.MAX_GLOBAL_DATA + " supported");
        }
        List<ElfFile.Relocation> relocs = elf.relocations(s);
        if (!relocs.isEmpty()) {
            ElfFile.Relocation r = relocs.getFirst();
            throw new UnsupportedFeatureException("section " + s.name() + ": relocations in global data are not"
                    + " supported (relocation " + r.number() + " at byte " + r.offset() + " against symbol "
                    + elf.symbol(r.symbol(), "section " + s.name()).describe() + ")");
        }
        String n = s.name();
        MapSpec.Kind kind = n.startsWith(".rodata") ? MapSpec.Kind.RODATA
                : n.startsWith(".bss") ? MapSpec.Kind.BSS : MapSpec.Kind.DATA;
        byte[] data = s.type() == ElfFile.SHT_NOBITS ? new byte[(int) s.size()] : elf.contents(s);
        int valueType = btf == null ? 0 : btf.find(BtfKind.DATASEC, n).orElse(0);
        dataMaps.put(s.index(), maps.size());
        maps.add(new MapSpec(n, MapType.ARRAY, 4, data.length, 1,
                kind == MapSpec.Kind.RODATA ? MapSpec.F_RDONLY_PROG : 0, MapSpec.Pinning.NONE, null, data, Map.of(),
                0, valueType, kind));
    }

    // ---- legacy maps

    private void readLegacyMaps(Section s) {
        if (s.type() == ElfFile.SHT_NOBITS) {
            throw new ObjectFormatException("section maps: legacy map definitions need contents, the section has none");
        }
        byte[] data = elf.contents(s);
        List<Symbol> syms = new ArrayList<>();
        for (Symbol sym : elf.symbols) {
            if (sym.shndx() == s.index() && (sym.type() == ElfFile.STT_OBJECT || sym.type() == ElfFile.STT_NOTYPE)) {
                syms.add(sym);
            }
        }
        if (syms.isEmpty()) {
            throw new ObjectFormatException("section maps: " + s.size() + " bytes but no map symbols");
        }
        syms.sort(Comparator.comparingLong(Symbol::value));
        boolean sized = syms.stream().anyMatch(sym -> sym.size() != 0);
        long evenSize = s.size() / syms.size();
        for (Symbol sym : syms) {
            String where = "section maps, map " + sym.describe();
            long size = sized ? sym.size() : evenSize;
            if (size < 16) {
                throw new ObjectFormatException(where + ": " + size + " bytes, too small for a map definition"
                        + " (type, key_size, value_size, max_entries: 16 bytes)");
            }
            if (sym.value() < 0 || sym.value() > data.length || size > data.length - sym.value()) {
                throw new ObjectFormatException(where + ": bytes " + Long.toUnsignedString(sym.value()) + " to "
                        + Long.toUnsignedString(sym.value() + size) + " lie outside the section (" + data.length
                        + " bytes)");
            }
            int at = (int) sym.value();
            long typeId = u32(data, at);
            MapType type = MapType.of((int) Math.min(typeId, Integer.MAX_VALUE));
            if (type == null) {
                throw new ObjectFormatException(where + ": unknown map type " + typeId);
            }
            if (type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS) {
                throw new UnsupportedFeatureException(where + ": legacy map-in-maps are not supported (use .maps)");
            }
            int keySize = intField(where, "key_size", u32(data, at + 4));
            int valueSize = intField(where, "value_size", u32(data, at + 8));
            int maxEntries = intField(where, "max_entries", u32(data, at + 12));
            int flags = size >= 20 ? (int) u32(data, at + 16) : 0;
            MapSpec.Pinning pinning = MapSpec.Pinning.NONE;
            if (size >= 28) {
                long pin = u32(data, at + 24);
                pinning = switch ((int) Math.min(pin, 3)) {
                    case 0 -> MapSpec.Pinning.NONE;
                    case 1, 2 -> MapSpec.Pinning.BY_NAME;
                    default -> throw new UnsupportedFeatureException(where + ": pinning " + pin + " is not supported");
                };
            }
            if (size >= 36 && (u32(data, at + 28) != 0 || u32(data, at + 32) != 0)) {
                throw new UnsupportedFeatureException(where + ": inner_id/inner_idx (legacy map-in-maps) are not"
                        + " supported");
            }
            slots.add(new MapSlot(s.index(), sym.value(), size, maps.size(), sym.name()));
            maps.add(new MapSpec(sym.name(), type, keySize, valueSize, maxEntries, flags, pinning, null, null,
                    Map.of(), 0, 0, MapSpec.Kind.LEGACY));
        }
    }

    private static int intField(String where, String field, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new ObjectFormatException(where + ": " + field + " " + value + " is too large");
        }
        return (int) value;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    // ---- BTF-defined maps

    /** A map definition as read from BTF, before initial values are known. */
    private static final class Def {
        String name;
        MapType type;
        long keySize = -1, valueSize = -1, maxEntries, flags, pinning;
        int keyType, valueType;
        Def inner;
        boolean programValues;
        long valuesOffset = -1;
        final Map<Integer, String> programs = new TreeMap<>();
        final Map<Integer, String> innerMaps = new TreeMap<>();
    }

    private void readBtfMaps(Section s) {
        String where = "section .maps";
        if (btf == null) {
            throw new ObjectFormatException(where + ": BTF-defined maps need a .BTF section");
        }
        int datasecId = btf.find(BtfKind.DATASEC, ".maps")
                .orElseThrow(() -> new ObjectFormatException(where + ": .BTF has no DATASEC '.maps'"));
        BtfType.Datasec datasec = (BtfType.Datasec) btf.type(datasecId);
        Map<String, Symbol> symbols = new HashMap<>();
        for (Symbol sym : elf.symbols) {
            if (sym.shndx() == s.index() && !sym.isSection() && sym.type() != ElfFile.STT_FILE) {
                symbols.putIfAbsent(sym.name(), sym);
            }
        }
        List<Def> defs = new ArrayList<>();
        List<Symbol> defSymbols = new ArrayList<>();
        for (BtfType.VarSecInfo v : datasec.vars()) {
            if (!(btf.type(v.type()) instanceof BtfType.Var var)) {
                throw new ObjectFormatException(where + ": DATASEC entry " + btf.describe(v.type()) + " is no VAR");
            }
            Symbol sym = symbols.get(var.name());
            if (sym == null) {
                throw new ObjectFormatException(where + ": map '" + var.name() + "' has no symbol in .maps");
            }
            if (sym.value() < 0 || sym.value() >= s.size()) {
                throw new ObjectFormatException(where + ": map '" + var.name() + "' symbol value "
                        + Long.toUnsignedString(sym.value()) + " lies outside the section (" + s.size() + " bytes)");
            }
            defs.add(definition(var.name(), var.type(), false));
            defSymbols.add(sym);
        }
        Integer[] order = new Integer[defs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> defSymbols.get(i).value()));
        int first = maps.size();
        List<MapSlot> mine = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            Symbol sym = defSymbols.get(order[k]);
            long size = sym.size() > 0 ? sym.size() : 8;
            MapSlot slot = new MapSlot(s.index(), sym.value(), size, first + k, sym.name());
            mine.add(slot);
        }
        initialValues(s, mine, defs, order);
        for (int k = 0; k < order.length; k++) {
            slots.add(mine.get(k));
            maps.add(build(defs.get(order[k])));
        }
    }

    /** Reads the {@code .maps} relocations: the initial values of program arrays and map-in-maps. */
    private void initialValues(Section s, List<MapSlot> mine, List<Def> defs, Integer[] order) {
        for (ElfFile.Relocation r : elf.relocations(s)) {
            String where = "section .maps, relocation " + r.number() + " at byte " + Long.toUnsignedString(r.offset());
            if (r.type() == ObjectReader.R_BPF_NONE) {
                continue;
            }
            if (r.type() != ObjectReader.R_BPF_64_ABS64) {
                throw new UnsupportedFeatureException(where + ": relocation type " + r.type() + " is not supported"
                        + " in .maps");
            }
            Symbol sym = elf.symbol(r.symbol(), where);
            where += " (against symbol " + sym.describe() + ")";
            int k = -1;
            for (int i = 0; i < mine.size(); i++) {
                MapSlot m = mine.get(i);
                if (r.offset() >= m.offset() && r.offset() - m.offset() < m.size()) {
                    k = i;
                }
            }
            if (k < 0) {
                throw new ObjectFormatException(where + ": lies in no map");
            }
            Def def = defs.get(order[k]);
            long rel = r.offset() - mine.get(k).offset() - def.valuesOffset;
            if (def.valuesOffset < 0 || rel < 0 || rel % 8 != 0) {
                throw new ObjectFormatException(where + ": lies in map '" + def.name + "' but not on a slot of its"
                        + " values");
            }
            long index = rel / 8;
            if (index >= def.maxEntries) {
                throw new ObjectFormatException(where + ": initial value " + index + " of map '" + def.name
                        + "' is beyond its max_entries " + def.maxEntries);
            }
            if (def.programValues) {
                if (sym.type() != ElfFile.STT_FUNC || !isProgram.test(sym)) {
                    throw new ObjectFormatException(where + ": initial value " + index + " of program array '"
                            + def.name + "' is not a program");
                }
                def.programs.put((int) index, sym.name());
            } else {
                String target = null;
                for (MapSlot m : mine) {
                    if (sym.shndx() == s.index() && m.offset() == sym.value() && !sym.isSection()) {
                        target = m.name();
                    }
                }
                if (target == null) {
                    throw new ObjectFormatException(where + ": initial value " + index + " of map-in-map '"
                            + def.name + "' is not a map of .maps");
                }
                def.innerMaps.put((int) index, target);
            }
        }
    }

    private MapSpec build(Def d) {
        MapSpec inner = d.inner == null ? null : build(d.inner);
        MapSpec.Pinning pinning = d.pinning == 0 ? MapSpec.Pinning.NONE : MapSpec.Pinning.BY_NAME;
        return new MapSpec(d.name, d.type, (int) d.keySize, (int) d.valueSize, (int) d.maxEntries, (int) d.flags,
                pinning, inner, null, d.programs, d.keyType, d.valueType, MapSpec.Kind.BTF_DEFINED, d.innerMaps);
    }

    /** Reads a map definition struct. */
    private Def definition(String name, int typeId, boolean inner) {
        String where = "section .maps, map '" + name + "'";
        try {
            return definition(where, name, typeId, inner);
        } catch (BtfFormatException e) {
            throw new ObjectFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private Def definition(String where, String name, int typeId, boolean inner) {
        if (!(btf.type(btf.skipQualifiers(typeId)) instanceof BtfType.Struct st) || st.union()) {
            throw new ObjectFormatException(where + ": its type is " + btf.describe(btf.skipQualifiers(typeId))
                    + ", not a struct of map attributes");
        }
        Def d = new Def();
        d.name = name;
        long type = -1, keySize = -1, valueSize = -1, keyTypeSize = -1, valueTypeSize = -1;
        for (BtfType.Member m : st.members()) {
            String attr = "attribute '" + m.name() + "'";
            switch (m.name()) {
                case "type" -> type = number(where, m);
                case "max_entries" -> d.maxEntries = number(where, m);
                case "map_flags" -> d.flags = number(where, m);
                case "key_size" -> keySize = number(where, m);
                case "value_size" -> valueSize = number(where, m);
                case "pinning" -> d.pinning = number(where, m);
                case "numa_node" -> number(where, m);
                case "map_extra" -> {
                    if (number(where, m) != 0) {
                        throw new UnsupportedFeatureException(where + ": map_extra is not supported");
                    }
                }
                case "key" -> {
                    d.keyType = pointee(where, m);
                    keyTypeSize = btf.sizeOf(d.keyType);
                }
                case "value" -> {
                    d.valueType = pointee(where, m);
                    valueTypeSize = btf.sizeOf(d.valueType);
                }
                case "values" -> {
                    if (m.bitOffset() % 8 != 0 || m.bitfieldSize() != 0) {
                        throw new ObjectFormatException(where + ": " + attr + " is not byte-aligned");
                    }
                    d.valuesOffset = m.bitOffset() / 8;
                    if (!(btf.type(btf.skipQualifiers(m.type())) instanceof BtfType.Array a)
                            || !(btf.type(btf.skipQualifiers(a.elementType())) instanceof BtfType.Ptr p)) {
                        throw new ObjectFormatException(where + ": " + attr + " is not an array of pointers"
                                + " (__array(values, ...))");
                    }
                    BtfType target = btf.type(btf.skipQualifiers(p.type()));
                    if (target instanceof BtfType.Struct s && !s.union()) {
                        if (inner) {
                            throw new UnsupportedFeatureException(where + ": an inner map cannot itself hold maps");
                        }
                        d.inner = definition(where + " (inner map)", name + ".inner", p.type(), true);
                    } else if (target instanceof BtfType.FuncProto) {
                        d.programValues = true;
                    } else {
                        throw new ObjectFormatException(where + ": " + attr + " points to " + target.kind()
                                + ", neither a map definition struct nor a function prototype");
                    }
                }
                default -> throw new UnsupportedFeatureException(where + ": unknown " + attr);
            }
        }
        if (type < 0) {
            throw new ObjectFormatException(where + ": no 'type' attribute");
        }
        d.type = MapType.of((int) Math.min(type, Integer.MAX_VALUE));
        if (d.type == null) {
            throw new ObjectFormatException(where + ": unknown map type " + type);
        }
        d.keySize = size(where, "key", keySize, keyTypeSize);
        d.valueSize = size(where, "value", valueSize, valueTypeSize);
        boolean mapInMap = d.type == MapType.ARRAY_OF_MAPS || d.type == MapType.HASH_OF_MAPS;
        if (d.valuesOffset >= 0) {
            if (d.programValues && d.type != MapType.PROG_ARRAY) {
                throw new ObjectFormatException(where + ": values of programs need type prog_array, not "
                        + d.type.bpftoolName());
            }
            if (!d.programValues && !mapInMap) {
                throw new ObjectFormatException(where + ": values of maps need a map-in-map type, not "
                        + d.type.bpftoolName());
            }
            if (d.valueSize != 0 && d.valueSize != 4) {
                throw new ObjectFormatException(where + ": value_size " + d.valueSize + " with __array(values),"
                        + " which needs 4");
            }
            d.valueSize = 4;
        }
        if (mapInMap && d.inner == null) {
            throw new ObjectFormatException(where + ": a " + d.type.bpftoolName() + " needs its inner map's"
                    + " definition (__array(values, struct ...))");
        }
        if (d.pinning > 1) {
            throw new UnsupportedFeatureException(where + ": pinning " + d.pinning + " is not supported (0 or"
                    + " LIBBPF_PIN_BY_NAME)");
        }
        if (d.maxEntries > Integer.MAX_VALUE) {
            throw new ObjectFormatException(where + ": max_entries " + d.maxEntries + " is too large");
        }
        return d;
    }

    private static long size(String where, String what, long declared, long fromType) {
        if (declared >= 0 && fromType >= 0 && declared != fromType) {
            throw new ObjectFormatException(where + ": " + what + "_size " + declared + " differs from the size "
                    + fromType + " of its " + what + " type");
        }
        long size = fromType >= 0 ? fromType : Math.max(declared, 0);
        if (size > Integer.MAX_VALUE) {
            throw new ObjectFormatException(where + ": " + what + " size " + size + " is too large");
        }
        return size;
    }

    /** {@code __uint(name, N)}: a pointer to an array of N elements. */
    private long number(String where, BtfType.Member m) {
        if (btf.type(btf.skipQualifiers(m.type())) instanceof BtfType.Ptr p
                && btf.type(btf.skipQualifiers(p.type())) instanceof BtfType.Array a) {
            return a.elements();
        }
        throw new ObjectFormatException(where + ": attribute '" + m.name() + "' is not declared with __uint"
                + " (a pointer to an array)");
    }

    /** {@code __type(name, T)}: a pointer to T; T's id. */
    private int pointee(String where, BtfType.Member m) {
        if (btf.type(btf.skipQualifiers(m.type())) instanceof BtfType.Ptr p) {
            return p.type();
        }
        throw new ObjectFormatException(where + ": attribute '" + m.name() + "' is not declared with __type"
                + " (a pointer)");
    }
}
