package org.bpf4j.core.btf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes BTF bytes by hand: types as raw records, strings deduplicated; ids count from 1 in order of adding. */
public final class BtfBuilder {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private int count;

    public BtfBuilder() {
        strings.write(0);
        offsets.put("", 0);
    }

    public int str(String s) {
        return offsets.computeIfAbsent(s, k -> {
            int off = strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        });
    }

    /** A raw type record: name, info (vlen, kind, kind_flag), size or type, then the extra 32-bit words. */
    public int raw(int kind, String name, int vlen, boolean kindFlag, long sizeOrType, long... extra) {
        u32(types, str(name));
        u32(types, (vlen & 0xffff) | (kind & 0x1f) << 24 | (kindFlag ? 1L << 31 : 0));
        u32(types, sizeOrType);
        for (long e : extra) {
            u32(types, e);
        }
        return ++count;
    }

    public int integer(String name, int size, int encoding) {
        return raw(1, name, 0, false, size, (long) encoding << 24 | size * 8L);
    }

    public int ptr(int type) {
        return raw(2, "", 0, false, type);
    }

    public int array(int elem, int index, long n) {
        return raw(3, "", 0, false, 0, elem, index, n);
    }

    /** members as name, type, bit offset triples. */
    public int struct(String name, int size, Object... members) {
        long[] extra = new long[members.length];
        for (int i = 0; i < members.length; i += 3) {
            extra[i] = str((String) members[i]);
            extra[i + 1] = ((Number) members[i + 1]).longValue();
            extra[i + 2] = ((Number) members[i + 2]).longValue();
        }
        return raw(4, name, members.length / 3, false, size, extra);
    }

    public int typedef(String name, int type) {
        return raw(8, name, 0, false, type);
    }

    public int constOf(int type) {
        return raw(10, "", 0, false, type);
    }

    public int volatileOf(int type) {
        return raw(9, "", 0, false, type);
    }

    public int func(String name, int proto) {
        return raw(12, name, 1, false, proto);
    }

    public int funcProto(int ret) {
        return raw(13, "", 0, false, ret);
    }

    public int var(String name, int type) {
        return raw(14, name, 0, false, type, 1);
    }

    /** vars as type, offset, size triples. */
    public int datasec(String name, long size, long... vars) {
        return raw(15, name, vars.length / 3, false, size, vars);
    }

    /** {@code __uint(name, n)}: {@code int (*name)[n]}, as libbpf's macros declare map attributes. */
    public int uintAttr(int intType, long n) {
        int arr = array(intType, intType, n);
        return ptr(arr);
    }

    public int count() {
        return count;
    }

    public byte[] build() {
        byte[] t = types.toByteArray(), s = strings.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x9f);
        out.write(0xeb);
        out.write(1);
        out.write(0);
        u32(out, 24);
        u32(out, 0);
        u32(out, t.length);
        u32(out, t.length);
        u32(out, s.length);
        out.writeBytes(t);
        out.writeBytes(s);
        return out.toByteArray();
    }

    static void u32(ByteArrayOutputStream out, long v) {
        for (int k = 0; k < 4; k++) {
            out.write((int) (v >>> (8 * k)) & 0xff);
        }
    }
}
