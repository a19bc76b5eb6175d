package org.bpf4j.core.btf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes .BTF.ext bytes by hand; strings go into the {@link BtfBuilder} it was made with. */
public final class BtfExtBuilder {
    private final BtfBuilder btf;
    private final Map<String, List<long[]>> funcs = new LinkedHashMap<>();
    private final Map<String, List<long[]>> lines = new LinkedHashMap<>();
    private final Map<String, List<long[]>> core = new LinkedHashMap<>();

    public BtfExtBuilder(BtfBuilder btf) {
        this.btf = btf;
    }

    public BtfExtBuilder func(String section, long insnOff, int typeId) {
        funcs.computeIfAbsent(section, k -> new ArrayList<>()).add(new long[] {insnOff, typeId});
        return this;
    }

    public BtfExtBuilder line(String section, long insnOff, String file, String text, int line, int col) {
        lines.computeIfAbsent(section, k -> new ArrayList<>())
                .add(new long[] {insnOff, btf.str(file), btf.str(text), (long) line << 10 | col});
        return this;
    }

    public BtfExtBuilder core(String section, long insnOff, int typeId, String access, int kind) {
        core.computeIfAbsent(section, k -> new ArrayList<>()).add(new long[] {insnOff, typeId, btf.str(access), kind});
        return this;
    }

    public byte[] build() {
        byte[] f = sub(funcs, 8), l = sub(lines, 16), c = sub(core, 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x9f);
        out.write(0xeb);
        out.write(1);
        out.write(0);
        BtfBuilder.u32(out, 32);
        BtfBuilder.u32(out, 0);
        BtfBuilder.u32(out, f.length);
        BtfBuilder.u32(out, f.length);
        BtfBuilder.u32(out, l.length);
        BtfBuilder.u32(out, f.length + l.length);
        BtfBuilder.u32(out, c.length);
        out.writeBytes(f);
        out.writeBytes(l);
        out.writeBytes(c);
        return out.toByteArray();
    }

    private byte[] sub(Map<String, List<long[]>> recs, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (recs.isEmpty()) {
            return out.toByteArray();
        }
        BtfBuilder.u32(out, size);
        for (var e : recs.entrySet()) {
            BtfBuilder.u32(out, btf.str(e.getKey()));
            BtfBuilder.u32(out, e.getValue().size());
            for (long[] r : e.getValue()) {
                for (long v : r) {
                    BtfBuilder.u32(out, v);
                }
            }
        }
        return out.toByteArray();
    }
}
