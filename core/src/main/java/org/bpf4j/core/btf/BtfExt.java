package org.bpf4j.core.btf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code .BTF.ext} section: per ELF section, the function info, line info and CO-RE relocation records
 * ({@code Documentation/bpf/btf.rst}, "BTF Ext Section"). Instruction offsets are kept as the object holds them:
 * byte offsets into the ELF section. Names and source text are resolved against the {@link Btf} string section.
 */
public final class BtfExt {
    static final int MIN_HEADER_LEN = 24;
    static final int CORE_HEADER_LEN = 32;

    /** A function's start: byte offset in its section and its BTF {@code FUNC} type. */
    public record FuncInfo(long insnOffset, int typeId) {}

    /** A source line: byte offset in its section, file name, the line's text, line and column. */
    public record LineInfo(long insnOffset, String file, String text, int line, int column) {}

    /** A CO-RE relocation: byte offset of the instruction, root type, access string and relocation kind. */
    public record CoreRelo(long insnOffset, int typeId, String access, int kind) {}

    private final Map<String, List<FuncInfo>> funcInfo;
    private final Map<String, List<LineInfo>> lineInfo;
    private final Map<String, List<CoreRelo>> coreRelos;

    private BtfExt(Map<String, List<FuncInfo>> funcInfo, Map<String, List<LineInfo>> lineInfo,
            Map<String, List<CoreRelo>> coreRelos) {
        this.funcInfo = funcInfo;
        this.lineInfo = lineInfo;
        this.coreRelos = coreRelos;
    }

    /** Parses and checks {@code .BTF.ext} bytes, whose strings and types live in {@code btf}. */
    public static BtfExt parse(byte[] raw, Btf btf) {
        if (raw.length < MIN_HEADER_LEN) {
            throw new BtfFormatException("BTF.ext is " + raw.length + " bytes, shorter than its header");
        }
        int magic = Btf.u16(raw, 0);
        if (magic != Btf.MAGIC) {
            throw new BtfFormatException("bad BTF.ext magic 0x" + Integer.toHexString(magic) + " (expected 0xeb9f)");
        }
        if (raw[2] != 1) {
            throw new BtfFormatException("unsupported BTF.ext version " + (raw[2] & 0xff));
        }
        long hdrLen = Btf.u32(raw, 4);
        if (hdrLen < MIN_HEADER_LEN || hdrLen > raw.length) {
            throw new BtfFormatException("BTF.ext header length " + hdrLen + " is not between " + MIN_HEADER_LEN
                    + " and the " + raw.length + " bytes of the section");
        }
        Map<String, List<FuncInfo>> funcs = new LinkedHashMap<>();
        Map<String, List<LineInfo>> lines = new LinkedHashMap<>();
        Map<String, List<CoreRelo>> relos = new LinkedHashMap<>();
        new Reader(raw, (int) hdrLen, btf, "func info", 8, Btf.u32(raw, 8), Btf.u32(raw, 12)).read((sec, at) -> {
            long typeId = Btf.u32(raw, at + 4);
            if (typeId > btf.typeCount() || !(btf.type((int) typeId) instanceof BtfType.Func)) {
                throw new BtfFormatException("BTF.ext func info for section " + sec + " at byte "
                        + Btf.u32(raw, at) + " names type " + typeId + ", which is no FUNC");
            }
            funcs.computeIfAbsent(sec, k -> new ArrayList<>()).add(new FuncInfo(Btf.u32(raw, at), (int) typeId));
        });
        new Reader(raw, (int) hdrLen, btf, "line info", 16, Btf.u32(raw, 16), Btf.u32(raw, 20)).read((sec, at) -> {
            long lineCol = Btf.u32(raw, at + 12);
            lines.computeIfAbsent(sec, k -> new ArrayList<>()).add(new LineInfo(Btf.u32(raw, at),
                    string(btf, Btf.u32(raw, at + 4), "line info file name"),
                    string(btf, Btf.u32(raw, at + 8), "line info text"), (int) (lineCol >>> 10),
                    (int) (lineCol & 0x3ff)));
        });
        if (hdrLen >= CORE_HEADER_LEN) {
            new Reader(raw, (int) hdrLen, btf, "CO-RE relocation", 16, Btf.u32(raw, 24), Btf.u32(raw, 28))
                    .read((sec, at) -> relos.computeIfAbsent(sec, k -> new ArrayList<>()).add(new CoreRelo(
                            Btf.u32(raw, at), (int) Btf.u32(raw, at + 4),
                            string(btf, Btf.u32(raw, at + 8), "CO-RE access string"), (int) Btf.u32(raw, at + 12))));
        }
        return new BtfExt(funcs, lines, relos);
    }

    /** Sections with any record. */
    public Set<String> sections() {
        var all = new java.util.LinkedHashSet<String>();
        all.addAll(funcInfo.keySet());
        all.addAll(lineInfo.keySet());
        all.addAll(coreRelos.keySet());
        return all;
    }

    public List<FuncInfo> funcInfo(String section) {
        return List.copyOf(funcInfo.getOrDefault(section, List.of()));
    }

    public List<LineInfo> lineInfo(String section) {
        return List.copyOf(lineInfo.getOrDefault(section, List.of()));
    }

    public List<CoreRelo> coreRelos(String section) {
        return List.copyOf(coreRelos.getOrDefault(section, List.of()));
    }

    private static String string(Btf btf, long offset, String what) {
        try {
            return btf.string(offset);
        } catch (BtfFormatException e) {
            throw new BtfFormatException("BTF.ext " + what + ": " + e.getMessage());
        }
    }

    private interface RecordSink {
        void accept(String section, int at);
    }

    /** Walks one info subsection: record size, then per section its name, count and records. */
    private record Reader(byte[] raw, int hdrLen, Btf btf, String what, int minRecord, long off, long len) {
        void read(RecordSink sink) {
            long room = raw.length - hdrLen;
            if (off > room || len > room - off) {
                throw new BtfFormatException("BTF.ext " + what + " (offset " + off + ", " + len
                        + " bytes) lies outside the " + room + " bytes after the header");
            }
            if (len == 0) {
                return;
            }
            int at = (int) (hdrLen + off);
            int end = (int) (at + len);
            if (len < 4) {
                throw new BtfFormatException("BTF.ext " + what + " is " + len + " bytes, too short for its record size");
            }
            long recSize = Btf.u32(raw, at);
            if (recSize < minRecord || recSize > len) {
                throw new BtfFormatException("BTF.ext " + what + " record size " + recSize + " is not between "
                        + minRecord + " and " + len);
            }
            at += 4;
            while (at < end) {
                if (end - at < 8) {
                    throw new BtfFormatException("BTF.ext " + what + " is cut short in a section header");
                }
                String section = string(btf, Btf.u32(raw, at), what + " section name");
                long count = Btf.u32(raw, at + 4);
                at += 8;
                if (count > (end - at) / recSize) {
                    throw new BtfFormatException("BTF.ext " + what + " for section " + section + " claims " + count
                            + " records of " + recSize + " bytes, but only " + (end - at) + " bytes remain");
                }
                for (long i = 0; i < count; i++) {
                    sink.accept(section, at);
                    at += (int) recSize;
                }
            }
        }
    }
}
