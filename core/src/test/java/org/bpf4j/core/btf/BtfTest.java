package org.bpf4j.core.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bpf4j.core.btf.BtfType.*;
import org.junit.jupiter.api.Test;

class BtfTest {

    static BtfFormatException fails(byte[] bytes) {
        return assertThrows(BtfFormatException.class, () -> Btf.parse(bytes));
    }

    static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void everyKindDecodes() {
        BtfBuilder b = new BtfBuilder();
        int i = b.integer("int", 4, Int.SIGNED); // 1
        int p = b.ptr(i); // 2
        int a = b.array(i, i, 3); // 3
        int s = b.struct("pair", 8, "a", i, 0, "b", i, 32); // 4
        int u = b.raw(5, "either", 2, false, 4, b.str("x"), i, 0, b.str("y"), i, 0); // 5
        int e = b.raw(6, "color", 2, true, 4, b.str("RED"), 0xffffffffL, b.str("BLUE"), 2); // 6
        int f = b.raw(7, "later", 0, true, 0); // 7
        int t = b.typedef("myint", i); // 8
        int v = b.volatileOf(i); // 9
        int c = b.constOf(v); // 10
        int r = b.raw(11, "", 0, false, p); // 11
        int fp = b.raw(13, "", 2, false, i, b.str("x"), i, 0, 0); // 12: int (int x, ...)
        int fn = b.func("f", fp); // 13
        int var = b.var("g", i); // 14
        int ds = b.datasec(".data", 4, var, 0, 4); // 15
        int fl = b.raw(16, "double", 0, false, 8); // 16
        int dt = b.raw(17, "tag", 0, false, s, 1); // 17
        int tt = b.raw(18, "user", 0, false, i); // 18
        int e64 = b.raw(19, "big", 1, false, 8, b.str("HUGE"), 0x89abcdefL, 0x01234567L); // 19
        int bf = b.raw(4, "bits", 1, true, 4, b.str("flag"), i, 3L << 24 | 5); // 20
        Btf btf = Btf.parse(b.build());
        assertEquals(20, btf.typeCount());
        assertEquals(new BtfType.Void(), btf.type(0));
        assertEquals(new Int("int", 4, Int.SIGNED, 0, 32), btf.type(i));
        assertEquals(new Ptr(i), btf.type(p));
        assertEquals(new Array(i, i, 3), btf.type(a));
        assertEquals(new Struct("pair", 8, false, List.of(new Member("a", i, 0, 0), new Member("b", i, 32, 0))),
                btf.type(s));
        assertEquals(BtfKind.UNION, btf.type(u).kind());
        assertEquals(new BtfType.Enum("color", 4, true, false,
                List.of(new EnumValue("RED", -1), new EnumValue("BLUE", 2))), btf.type(e));
        assertEquals(new Fwd("later", true), btf.type(f));
        assertEquals(new Typedef("myint", i), btf.type(t));
        assertEquals(new Volatile(i), btf.type(v));
        assertEquals(new Const(v), btf.type(c));
        assertEquals(new Restrict(p), btf.type(r));
        assertEquals(new FuncProto(i, List.of(new Param("x", i), new Param("", 0))), btf.type(fp));
        assertEquals(new Func("f", fp, 1), btf.type(fn));
        assertEquals(new Var("g", i, 1), btf.type(var));
        assertEquals(new Datasec(".data", 4, List.of(new VarSecInfo(var, 0, 4))), btf.type(ds));
        assertEquals(new BtfType.Float("double", 8), btf.type(fl));
        assertEquals(new DeclTag("tag", s, 1), btf.type(dt));
        assertEquals(new TypeTag("user", i), btf.type(tt));
        assertEquals(new BtfType.Enum("big", 8, false, true, List.of(new EnumValue("HUGE", 0x0123456789abcdefL))),
                btf.type(e64));
        assertEquals(BtfKind.ENUM64, btf.type(e64).kind());
        assertEquals(new Struct("bits", 4, false, List.of(new Member("flag", i, 5, 3))), btf.type(bf));

        assertEquals(4, btf.sizeOf(i));
        assertEquals(8, btf.sizeOf(p));
        assertEquals(12, btf.sizeOf(a));
        assertEquals(8, btf.sizeOf(s));
        assertEquals(4, btf.sizeOf(t));
        assertEquals(4, btf.sizeOf(c));
        assertEquals(4, btf.sizeOf(var));
        assertEquals(8, btf.sizeOf(e64));
        assertEquals(i, btf.skipQualifiers(c));
        assertEquals(i, btf.skipQualifiers(tt));
        assertEquals(p, btf.skipQualifiers(p));
        assertEquals(java.util.Optional.of(s), btf.find(BtfKind.STRUCT, "pair"));
        assertEquals(java.util.Optional.empty(), btf.find(BtfKind.UNION, "pair"));
        assertThrows(BtfFormatException.class, () -> btf.sizeOf(fn));
        assertThrows(BtfFormatException.class, () -> btf.sizeOf(f));
        assertThrows(BtfFormatException.class, () -> btf.type(21));
        assertThrows(BtfFormatException.class, () -> btf.type(-1));
    }

    @Test
    void selfReferenceThroughAStructIsFine() {
        BtfBuilder b = new BtfBuilder();
        int list = b.struct("list", 8, "next", 2, 0); // 1: struct list { struct list *next; }
        b.ptr(list); // 2
        b.typedef("list_t", list); // 3
        Btf btf = Btf.parse(b.build());
        assertEquals(8, btf.sizeOf(3));
    }

    @Test
    void pointerToItselfThroughATypedefChainIsALoop() {
        BtfBuilder b = new BtfBuilder();
        b.ptr(3); // 1 -> 3
        b.typedef("a", 1); // 2 -> 1
        b.typedef("b", 2); // 3 -> 2
        assertMessage(fails(b.build()), "loop");
    }

    @Test
    void otherLoops() {
        BtfBuilder self = new BtfBuilder();
        self.constOf(1);
        assertMessage(fails(self.build()), "loop", "type 1");

        BtfBuilder array = new BtfBuilder();
        array.integer("int", 4, 0);
        array.array(2, 1, 4); // array of itself
        assertMessage(fails(array.build()), "loop");

        BtfBuilder var = new BtfBuilder();
        var.var("v", 2);
        var.volatileOf(1);
        assertMessage(fails(var.build()), "loop");

        BtfBuilder ptrs = new BtfBuilder();
        ptrs.ptr(2);
        ptrs.ptr(1);
        assertMessage(fails(ptrs.build()), "loop");
    }

    @Test
    void longChainsAreNotLoops() {
        BtfBuilder b = new BtfBuilder();
        int prev = b.integer("int", 4, 0);
        for (int i = 0; i < 50_000; i++) {
            prev = b.constOf(prev);
        }
        Btf btf = Btf.parse(b.build());
        assertEquals(4, btf.sizeOf(prev));
        assertEquals(1, btf.skipQualifiers(prev));
    }

    @Test
    void referencesOutOfRange() {
        BtfBuilder b = new BtfBuilder();
        b.ptr(99);
        assertMessage(fails(b.build()), "type 1", "refers to type 99", "only 1 types");

        BtfBuilder m = new BtfBuilder();
        m.struct("s", 4, "x", 0xffffffffL, 0);
        assertMessage(fails(m.build()), "refers to type 4294967295");

        BtfBuilder d = new BtfBuilder();
        d.datasec(".data", 4, 7, 0, 4);
        assertMessage(fails(d.build()), "DATASEC", "refers to type 7");
    }

    @Test
    void badStrings() {
        BtfBuilder b = new BtfBuilder();
        b.raw(1, "", 0, false, 4, 32);
        byte[] bytes = b.build();
        ElfBytes.put32(bytes, 24, 1000); // name offset
        assertMessage(fails(bytes), "type 1", "name", "offset 1000", "outside the BTF string section");

        BtfBuilder nul = new BtfBuilder();
        nul.integer("int", 4, 0);
        byte[] noNul = nul.build();
        noNul[noNul.length - 1] = 'x';
        assertMessage(fails(noNul), "does not end with a NUL");
    }

    @Test
    void badHeaders() {
        byte[] good = new BtfBuilder().build();
        assertMessage(fails(new byte[10]), "shorter than its 24-byte header");
        byte[] magic = good.clone();
        magic[0] = 0;
        assertMessage(fails(magic), "bad BTF magic");
        byte[] be = good.clone();
        be[0] = (byte) 0xeb;
        be[1] = (byte) 0x9f;
        assertMessage(fails(be), "big-endian");
        byte[] version = good.clone();
        version[2] = 2;
        assertMessage(fails(version), "version 2");
        byte[] hdr = good.clone();
        ElfBytes.put32(hdr, 4, 0x7fffffff);
        assertMessage(fails(hdr), "header length 2147483647");
        byte[] types = good.clone();
        ElfBytes.put32(types, 12, 0xfffffff0L);
        assertMessage(fails(types), "type section");
        byte[] strs = good.clone();
        ElfBytes.put32(strs, 16, 0xffffffffL);
        assertMessage(fails(strs), "string section");
    }

    @Test
    void absurdCounts() {
        BtfBuilder b = new BtfBuilder();
        b.raw(4, "s", 0xffff, false, 4); // 65535 members, none present
        assertMessage(fails(b.build()), "STRUCT 's'", "needs 786420 more bytes");

        BtfBuilder k = new BtfBuilder();
        k.raw(25, "", 0, false, 0);
        assertMessage(fails(k.build()), "unknown kind 25");

        BtfBuilder cut = new BtfBuilder();
        cut.integer("int", 4, 0);
        byte[] c = cut.build();
        ElfBytes.put32(c, 12, 10); // type_len: less than a record
        ElfBytes.put32(c, 16, 10);
        ElfBytes.put32(c, 20, 0);
        assertMessage(fails(c), "cut short");

        BtfBuilder big = new BtfBuilder();
        big.raw(4, "huge", 0, false, 0x80000000L);
        assertMessage(fails(big.build()), "absurd size");
    }

    @Test
    void sizeOverflowIsAnError() {
        BtfBuilder b = new BtfBuilder();
        int i = b.integer("int", 4, 0);
        int a = b.array(i, i, 0xffffffffL);
        int aa = b.array(a, i, 0xffffffffL);
        int aaa = b.array(aa, i, 0xffffffffL);
        Btf btf = Btf.parse(b.build());
        assertEquals(4L * 0xffffffffL, btf.sizeOf(a));
        assertMessage(assertThrows(BtfFormatException.class, () -> btf.sizeOf(aaa)), "overflows");
    }

    @Test
    void datasecLayoutIsFilledInAndSorted() {
        BtfBuilder b = new BtfBuilder();
        int i = b.integer("int", 4, 0);
        int x = b.var("x", i);
        int y = b.var("y", i);
        int ds = b.datasec(".data", 0, x, 0, 4, y, 0, 4);
        b.datasec(".other", 0, y, 0, 4);
        Btf btf = Btf.parse(b.build());
        byte[] fixed = btf.withDatasecLayout(new Btf.SectionLayout() {
            public OptionalLong sectionSize(String section) {
                return section.equals(".data") ? OptionalLong.of(16) : OptionalLong.empty();
            }

            public OptionalLong variableOffset(String section, String variable) {
                return !section.equals(".data") ? OptionalLong.empty()
                        : OptionalLong.of(variable.equals("x") ? 8 : 0);
            }
        });
        Btf after = Btf.parse(fixed);
        assertEquals(new Datasec(".data", 16, List.of(new VarSecInfo(y, 0, 4), new VarSecInfo(x, 8, 4))), after.type(ds));
        assertEquals(new Datasec(".other", 0, List.of(new VarSecInfo(y, 0, 4))), after.type(ds + 1));
        assertEquals(new Datasec(".data", 0, List.of(new VarSecInfo(x, 0, 4), new VarSecInfo(y, 0, 4))), btf.type(ds),
                "the original is unchanged");
        assertNotEquals(btf, after);
    }

    @Test
    void btfExt() {
        BtfBuilder b = new BtfBuilder();
        int proto = b.funcProto(0);
        int f = b.func("prog", proto);
        BtfExtBuilder e = new BtfExtBuilder(b).func("xdp", 0, f).line("xdp", 8, "a.c", "  x++;", 12, 5)
                .core("xdp", 16, proto, "0:1", 0);
        byte[] ext = e.build();
        Btf btf = Btf.parse(b.build());
        BtfExt x = BtfExt.parse(ext, btf);
        assertEquals(List.of(new BtfExt.FuncInfo(0, f)), x.funcInfo("xdp"));
        assertEquals(List.of(new BtfExt.LineInfo(8, "a.c", "  x++;", 12, 5)), x.lineInfo("xdp"));
        assertEquals(List.of(new BtfExt.CoreRelo(16, proto, "0:1", 0)), x.coreRelos("xdp"));
        assertEquals(List.of(), x.lineInfo("tc"));
        assertEquals(java.util.Set.of("xdp"), x.sections());
    }

    @Test
    void badBtfExt() {
        BtfBuilder b = new BtfBuilder();
        int f = b.func("prog", b.funcProto(0));
        byte[] ext = new BtfExtBuilder(b).func("xdp", 0, f).line("xdp", 0, "a.c", "x", 1, 0).build();
        Btf btf = Btf.parse(b.build());

        byte[] count = ext.clone(); // func info count of section xdp: 2^31
        ElfBytes.put32(count, 32 + 4 + 4, 0x80000000L);
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(count, btf)), "func info",
                "claims 2147483648 records");
        byte[] rec = ext.clone();
        ElfBytes.put32(rec, 32, 4);
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(rec, btf)), "record size 4");
        byte[] name = ext.clone();
        ElfBytes.put32(name, 32 + 4, 5000);
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(name, btf)), "section name",
                "offset 5000");
        byte[] type = ext.clone();
        ElfBytes.put32(type, 32 + 12 + 4, 1); // FUNC_PROTO, not FUNC
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(type, btf)), "no FUNC");
        byte[] off = ext.clone();
        ElfBytes.put32(off, 16, 0x7ffffff0L);
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(off, btf)), "line info",
                "lies outside");
        assertMessage(assertThrows(BtfFormatException.class, () -> BtfExt.parse(new byte[3], btf)), "shorter");
    }

    @Property(tries = 2000)
    void randomBytesNeverBreakTheParser(@ForAll byte[] tail, @ForAll("seeds") long seed) {
        // a valid header around random type and string bytes
        Random r = new Random(seed);
        byte[] b = new byte[24 + tail.length];
        System.arraycopy(new BtfBuilder().build(), 0, b, 0, 24);
        System.arraycopy(tail, 0, b, 24, tail.length);
        int split = tail.length == 0 ? 0 : r.nextInt(tail.length + 1);
        ElfBytes.put32(b, 8, 0);
        ElfBytes.put32(b, 12, split & ~3);
        ElfBytes.put32(b, 16, split & ~3);
        ElfBytes.put32(b, 20, tail.length - (split & ~3));
        try {
            Btf btf = Btf.parse(b);
            for (int id = 0; id <= btf.typeCount(); id++) {
                btf.describe(id);
                btf.skipQualifiers(id);
                try {
                    btf.sizeOf(id);
                } catch (BtfFormatException e) {
                    // no size: fine
                }
            }
        } catch (BtfFormatException e) {
            assertFalse(e.getMessage().isEmpty());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    /** Little-endian writes into test byte arrays. */
    static final class ElfBytes {
        static void put32(byte[] b, int at, long v) {
            for (int k = 0; k < 4; k++) {
                b[at + k] = (byte) (v >>> (8 * k));
            }
        }
    }
}
