package org.bpf4j.core.btf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bpf4j.core.btf.BtfType.*;

/**
 * A parsed {@code .BTF} section, as {@code Documentation/bpf/btf.rst} describes it: a header, the type section
 * and the string section, little endian.
 *
 * <p>Parsing checks everything the rest of bpf4j relies on, so that no later look-up can fail or loop: the
 * header's offsets and lengths lie inside the bytes, every record fits, every name is a NUL-terminated string of
 * the string section, every referenced type id exists, and no chain of references that must be followed to know a
 * type's size or its target (typedef, const, volatile, restrict, type tag, pointer, array element, var, func, decl
 * tag) comes back to where it started. Cycles are only allowed through struct and union members and function
 * prototypes, as in C ({@code struct list { struct list *next; }}). Any violation is a {@link BtfFormatException}.
 */
public final class Btf {
    /** {@code BTF_MAGIC}, little endian. */
    public static final int MAGIC = 0xeb9f;
    static final int HEADER_LEN = 24;

    private final byte[] raw;
    private final int typesStart;
    private final int stringsStart;
    private final int stringsLen;
    private final List<BtfType> types = new ArrayList<>();
    /** Byte offset of each type's record in {@link #raw}, by id (index 0 unused). */
    private final List<Integer> offsets = new ArrayList<>();

    private Btf(byte[] raw, int typesStart, int stringsStart, int stringsLen) {
        this.raw = raw;
        this.typesStart = typesStart;
        this.stringsStart = stringsStart;
        this.stringsLen = stringsLen;
    }

    /** Parses and checks BTF bytes; the array is copied. */
    public static Btf parse(byte[] bytes) {
        byte[] raw = bytes.clone();
        if (raw.length < HEADER_LEN) {
            throw new BtfFormatException("BTF is " + raw.length + " bytes, shorter than its " + HEADER_LEN + "-byte header");
        }
        int magic = u16(raw, 0);
        if (magic == 0x9feb) {
            throw new BtfFormatException("big-endian BTF is not supported");
        }
        if (magic != MAGIC) {
            throw new BtfFormatException("bad BTF magic 0x" + Integer.toHexString(magic) + " (expected 0xeb9f)");
        }
        if (raw[2] != 1) {
            throw new BtfFormatException("unsupported BTF version " + (raw[2] & 0xff));
        }
        long hdrLen = u32(raw, 4);
        if (hdrLen < HEADER_LEN || hdrLen > raw.length) {
            throw new BtfFormatException("BTF header length " + hdrLen + " is not between " + HEADER_LEN + " and the "
                    + raw.length + " bytes of the section");
        }
        long typeOff = u32(raw, 8), typeLen = u32(raw, 12), strOff = u32(raw, 16), strLen = u32(raw, 20);
        long room = raw.length - hdrLen;
        if (typeOff > room || typeLen > room - typeOff) {
            throw new BtfFormatException("BTF type section (offset " + typeOff + ", " + typeLen
                    + " bytes) lies outside the " + room + " bytes after the header");
        }
        if (strOff > room || strLen > room - strOff) {
            throw new BtfFormatException("BTF string section (offset " + strOff + ", " + strLen
                    + " bytes) lies outside the " + room + " bytes after the header");
        }
        if (typeOff % 4 != 0) {
            throw new BtfFormatException("BTF type section offset " + typeOff + " is not 4-byte aligned");
        }
        if (strLen > 0 && raw[(int) (hdrLen + strOff + strLen - 1)] != 0) {
            throw new BtfFormatException("BTF string section does not end with a NUL byte");
        }
        Btf btf = new Btf(raw, (int) (hdrLen + typeOff), (int) (hdrLen + strOff), (int) strLen);
        btf.parseTypes((int) typeLen);
        btf.checkReferences();
        btf.checkChains();
        return btf;
    }

    /** A copy of the raw bytes. */
    public byte[] bytes() {
        return raw.clone();
    }

    /** Number of types; valid ids are 0 (void) to this number. */
    public int typeCount() {
        return types.size();
    }

    /** The type with this id; 0 is {@code void}. */
    public BtfType type(int id) {
        if (id < 0 || id > types.size()) {
            throw new BtfFormatException("no BTF type " + Integer.toUnsignedString(id) + " (there are " + types.size()
                    + ")");
        }
        return id == 0 ? new BtfType.Void() : types.get(id - 1);
    }

    /** All types, id 1 first. */
    public List<BtfType> types() {
        return List.copyOf(types);
    }

    /** The string at this offset of the string section. */
    public String string(long offset) {
        if (offset < 0 || offset >= stringsLen) {
            if (offset == 0) {
                return "";
            }
            throw new BtfFormatException("string offset " + offset + " is outside the BTF string section ("
                    + stringsLen + " bytes)");
        }
        int start = stringsStart + (int) offset;
        int end = start;
        int limit = stringsStart + stringsLen;
        while (end < limit && raw[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw new BtfFormatException("string at offset " + offset + " of the BTF string section has no NUL");
        }
        return new String(raw, start, end - start, StandardCharsets.UTF_8);
    }

    /** The id of the first type of this kind and name. */
    public Optional<Integer> find(BtfKind kind, String name) {
        for (int i = 0; i < types.size(); i++) {
            BtfType t = types.get(i);
            if (t.kind() == kind && t.name().equals(name)) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    /** Follows typedef, const, volatile, restrict and type tag to the type they qualify. */
    public int skipQualifiers(int id) {
        int cur = id;
        for (int steps = 0; steps <= types.size(); steps++) {
            switch (type(cur)) {
                case Typedef t -> cur = t.type();
                case Const t -> cur = t.type();
                case Volatile t -> cur = t.type();
                case Restrict t -> cur = t.type();
                case TypeTag t -> cur = t.type();
                default -> {
                    return cur;
                }
            }
        }
        throw loop(id);
    }

    /**
     * The size in bytes of a value of this type ({@code sizeof}): pointers are 8 bytes, arrays multiply, qualifiers
     * and typedefs and vars are followed. Functions, prototypes, forward declarations, tags and void have none.
     */
    public long sizeOf(int id) {
        long factor = 1;
        int cur = id;
        try {
            for (int steps = 0; steps <= types.size(); steps++) {
                BtfType t = type(cur);
                switch (t) {
                    case Int i -> {
                        return Math.multiplyExact(factor, i.size());
                    }
                    case BtfType.Float f -> {
                        return Math.multiplyExact(factor, f.size());
                    }
                    case Struct s -> {
                        return Math.multiplyExact(factor, s.size());
                    }
                    case BtfType.Enum e -> {
                        return Math.multiplyExact(factor, e.size());
                    }
                    case Datasec d -> {
                        return Math.multiplyExact(factor, d.size());
                    }
                    case Ptr p -> {
                        return Math.multiplyExact(factor, 8);
                    }
                    case Array a -> {
                        factor = Math.multiplyExact(factor, a.elements());
                        cur = a.elementType();
                    }
                    case Typedef q -> cur = q.type();
                    case Const q -> cur = q.type();
                    case Volatile q -> cur = q.type();
                    case Restrict q -> cur = q.type();
                    case TypeTag q -> cur = q.type();
                    case Var v -> cur = v.type();
                    default -> throw new BtfFormatException("BTF type " + cur + " (" + describe(cur) + ") has no size");
                }
            }
        } catch (ArithmeticException e) {
            throw new BtfFormatException("size of BTF type " + id + " (" + describe(id) + ") overflows");
        }
        throw loop(id);
    }

    /** {@code KIND 'name'} for messages. */
    public String describe(int id) {
        BtfType t = type(id);
        return t.kind() + (t.name().isEmpty() ? "" : " '" + t.name() + "'");
    }

    /** Byte offset of type {@code id}'s record in the raw bytes. */
    int recordOffset(int id) {
        return offsets.get(id);
    }

    /**
     * Supplies what the object file knows of a data section: its size and the offsets of its variables. Answers
     * empty when it does not know.
     */
    public interface SectionLayout {
        OptionalLong sectionSize(String section);

        OptionalLong variableOffset(String section, String variable);
    }

    /**
     * The bytes with every DATASEC's size and variable offsets set from the ELF object, as a loader must do before
     * handing BTF to the kernel: clang leaves them 0 in a relocatable object (they are only known at link time).
     * Sizes and offsets that the layout does not know are left as they are; each DATASEC's variables are then
     * sorted by offset, as the kernel requires.
     */
    public byte[] withDatasecLayout(SectionLayout layout) {
        byte[] out = raw.clone();
        for (int id = 1; id <= types.size(); id++) {
            if (!(types.get(id - 1) instanceof Datasec d)) {
                continue;
            }
            int at = offsets.get(id);
            OptionalLong size = layout.sectionSize(d.name());
            if (size.isPresent() && size.getAsLong() >= 0 && size.getAsLong() <= 0xffff_ffffL) {
                putU32(out, at + 8, size.getAsLong());
            }
            List<VarSecInfo> vars = new ArrayList<>();
            for (VarSecInfo v : d.vars()) {
                long offset = v.offset();
                if (type(v.type()) instanceof Var var) {
                    OptionalLong o = layout.variableOffset(d.name(), var.name());
                    if (o.isPresent() && o.getAsLong() >= 0 && o.getAsLong() <= 0xffff_ffffL) {
                        offset = o.getAsLong();
                    }
                }
                vars.add(new VarSecInfo(v.type(), offset, v.size()));
            }
            vars.sort(Comparator.comparingLong(VarSecInfo::offset));
            for (int i = 0; i < vars.size(); i++) {
                int e = at + 12 + 12 * i;
                putU32(out, e, vars.get(i).type());
                putU32(out, e + 4, vars.get(i).offset());
                putU32(out, e + 8, vars.get(i).size());
            }
        }
        return out;
    }

    // ---- parsing

    private void parseTypes(int len) {
        offsets.add(-1);
        int at = typesStart;
        int end = typesStart + len;
        while (at < end) {
            int id = types.size() + 1;
            if (end - at < 12) {
                throw new BtfFormatException("BTF type " + id + " at byte " + (at - typesStart)
                        + " is cut short by the end of the type section");
            }
            long nameOff = u32(raw, at);
            int info = (int) u32(raw, at + 4);
            long sizeOrType = u32(raw, at + 8);
            int vlen = info & 0xffff;
            int kindId = (info >>> 24) & 0x1f;
            boolean kindFlag = info < 0;
            BtfKind kind = BtfKind.of(kindId);
            if (kind == null || kind == BtfKind.VOID) {
                throw new BtfFormatException("BTF type " + id + " has unknown kind " + kindId);
            }
            String name = name(id, nameOff);
            int body = at + 12;
            long extra = switch (kind) {
                case INT, VAR, DECL_TAG -> 4;
                case ARRAY -> 12;
                case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
                case ENUM, FUNC_PROTO -> 8L * vlen;
                default -> 0;
            };
            if (extra > end - body) {
                throw new BtfFormatException("BTF type " + id + " (" + kind + " '" + name + "') needs " + extra
                        + " more bytes than the type section holds");
            }
            offsets.add(at);
            types.add(decode(id, kind, name, kindFlag, vlen, sizeOrType, body));
            at = body + (int) extra;
        }
    }

    private BtfType decode(int id, BtfKind kind, String name, boolean kindFlag, int vlen, long sizeOrType, int body) {
        int ref = (int) sizeOrType;
        return switch (kind) {
            case INT -> {
                int v = (int) u32(raw, body);
                yield new Int(name, size(id, sizeOrType), (v >>> 24) & 0xf, (v >>> 16) & 0xff, v & 0xff);
            }
            case PTR -> new Ptr(ref);
            case ARRAY -> new Array((int) u32(raw, body), (int) u32(raw, body + 4), u32(raw, body + 8));
            case STRUCT, UNION -> {
                List<Member> members = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int m = body + 12 * i;
                    long off = u32(raw, m + 8);
                    members.add(new Member(name(id, u32(raw, m)), (int) u32(raw, m + 4),
                            (int) (kindFlag ? off & 0xffffff : off), kindFlag ? (int) (off >>> 24) : 0));
                }
                yield new Struct(name, size(id, sizeOrType), kind == BtfKind.UNION, members);
            }
            case ENUM, ENUM64 -> {
                boolean wide = kind == BtfKind.ENUM64;
                List<EnumValue> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int e = body + (wide ? 12 : 8) * i;
                    long v = wide ? u32(raw, e + 4) | u32(raw, e + 8) << 32
                            : kindFlag ? (int) u32(raw, e + 4) : u32(raw, e + 4);
                    values.add(new EnumValue(name(id, u32(raw, e)), v));
                }
                yield new BtfType.Enum(name, size(id, sizeOrType), kindFlag, wide, values);
            }
            case FWD -> new Fwd(name, kindFlag);
            case TYPEDEF -> new Typedef(name, ref);
            case VOLATILE -> new Volatile(ref);
            case CONST -> new Const(ref);
            case RESTRICT -> new Restrict(ref);
            case FUNC -> new Func(name, ref, vlen);
            case FUNC_PROTO -> {
                List<Param> params = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int p = body + 8 * i;
                    params.add(new Param(name(id, u32(raw, p)), (int) u32(raw, p + 4)));
                }
                yield new FuncProto(ref, params);
            }
            case VAR -> new Var(name, ref, (int) u32(raw, body));
            case DATASEC -> {
                List<VarSecInfo> vars = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int v = body + 12 * i;
                    vars.add(new VarSecInfo((int) u32(raw, v), u32(raw, v + 4), u32(raw, v + 8)));
                }
                yield new Datasec(name, sizeOrType, vars);
            }
            case FLOAT -> new BtfType.Float(name, size(id, sizeOrType));
            case DECL_TAG -> new DeclTag(name, ref, (int) u32(raw, body));
            case TYPE_TAG -> new TypeTag(name, ref);
            case VOID -> throw new IllegalStateException();
        };
    }

    private static int size(int id, long size) {
        if (size > Integer.MAX_VALUE) {
            throw new BtfFormatException("BTF type " + id + " has an absurd size of " + size + " bytes");
        }
        return (int) size;
    }

    private String name(int id, long offset) {
        try {
            return string(offset);
        } catch (BtfFormatException e) {
            throw new BtfFormatException("BTF type " + id + ": name " + e.getMessage());
        }
    }

    /** Every id a type refers to must exist. */
    private void checkReferences() {
        for (int id = 1; id <= types.size(); id++) {
            BtfType t = types.get(id - 1);
            for (int ref : references(t)) {
                if (Integer.toUnsignedLong(ref) > types.size()) {
                    throw new BtfFormatException("BTF type " + id + " (" + describe(id) + ") refers to type "
                            + Integer.toUnsignedString(ref) + ", but there are only " + types.size() + " types");
                }
            }
            if (t instanceof DeclTag d && d.componentIndex() < -1) {
                throw new BtfFormatException("BTF type " + id + " (" + describe(id) + ") has component index "
                        + d.componentIndex());
            }
        }
    }

    private static int[] references(BtfType t) {
        return switch (t) {
            case Ptr p -> new int[] {p.type()};
            case Array a -> new int[] {a.elementType(), a.indexType()};
            case Struct s -> s.members().stream().mapToInt(Member::type).toArray();
            case Typedef q -> new int[] {q.type()};
            case Volatile q -> new int[] {q.type()};
            case Const q -> new int[] {q.type()};
            case Restrict q -> new int[] {q.type()};
            case TypeTag q -> new int[] {q.type()};
            case Func f -> new int[] {f.type()};
            case FuncProto f -> {
                int[] refs = new int[f.params().size() + 1];
                refs[0] = f.returnType();
                for (int i = 0; i < f.params().size(); i++) {
                    refs[i + 1] = f.params().get(i).type();
                }
                yield refs;
            }
            case Var v -> new int[] {v.type()};
            case Datasec d -> d.vars().stream().mapToInt(VarSecInfo::type).toArray();
            case DeclTag d -> new int[] {d.type()};
            default -> new int[0];
        };
    }

    /** The one reference that must be followed to resolve a type, or -1. */
    private int chain(int id) {
        return switch (types.get(id - 1)) {
            case Ptr p -> p.type();
            case Array a -> a.elementType();
            case Typedef q -> q.type();
            case Volatile q -> q.type();
            case Const q -> q.type();
            case Restrict q -> q.type();
            case TypeTag q -> q.type();
            case Func f -> f.type();
            case Var v -> v.type();
            case DeclTag d -> d.type();
            default -> -1;
        };
    }

    /** Rejects a chain of references that loops, in linear time and without recursion. */
    private void checkChains() {
        byte[] state = new byte[types.size() + 1]; // 0 unvisited, 1 on the current path, 2 known to end
        int[] path = new int[types.size() + 1];
        for (int start = 1; start <= types.size(); start++) {
            int n = 0;
            int cur = start;
            while (cur > 0 && state[cur] == 0) {
                state[cur] = 1;
                path[n++] = cur;
                cur = chain(cur);
            }
            if (cur > 0 && state[cur] == 1) {
                throw loop(cur);
            }
            for (int i = 0; i < n; i++) {
                state[path[i]] = 2;
            }
        }
    }

    private BtfFormatException loop(int id) {
        return new BtfFormatException("BTF type loop: type " + id + " (" + describe(id)
                + ") refers back to itself through pointers, qualifiers, typedefs or arrays");
    }

    // ---- little-endian access

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    @Override
    public String toString() {
        return "Btf[" + types.size() + " types, " + stringsLen + " bytes of strings]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Btf b && Arrays.equals(raw, b.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }
}
