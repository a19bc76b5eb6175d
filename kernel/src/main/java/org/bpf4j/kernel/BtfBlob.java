package org.bpf4j.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An object's raw BTF as the kernel will get it, with a way to name strings by offset. {@code struct bpf_line_info}
 * refers to its file name and source text by offset into the BTF string section, but {@link
 * org.bpf4j.core.object.SourceLine} carries the strings themselves: {@link #offsetOf} finds each one in the section
 * (the kernel only checks that an offset lies inside it, so any copy of the same bytes will do), and appends the
 * ones it cannot find, so that {@link #bytes()} always holds every string asked for.
 */
final class BtfBlob {
    private static final int HEADER_MIN = 24;

    private final byte[] header;
    private final byte[] types;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();

    BtfBlob(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (raw.length < HEADER_MIN || (b.getShort(0) & 0xffff) != 0xeb9f) {
            throw new IllegalArgumentException("not little-endian BTF");
        }
        int hdrLen = b.getInt(4), typeOff = b.getInt(8), typeLen = b.getInt(12), strOff = b.getInt(16),
                strLen = b.getInt(20);
        if (hdrLen < HEADER_MIN || (long) hdrLen + typeOff + typeLen > raw.length
                || (long) hdrLen + strOff + strLen > raw.length || typeLen < 0 || strLen < 0) {
            throw new IllegalArgumentException("BTF sections lie outside its " + raw.length + " bytes");
        }
        header = java.util.Arrays.copyOf(raw, hdrLen);
        types = java.util.Arrays.copyOfRange(raw, hdrLen + typeOff, hdrLen + typeOff + typeLen);
        byte[] s = java.util.Arrays.copyOfRange(raw, hdrLen + strOff, hdrLen + strOff + strLen);
        strings.writeBytes(s);
        int start = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                offsets.putIfAbsent(new String(s, start, i - start, StandardCharsets.UTF_8), start);
                start = i + 1;
            }
        }
        offsets.putIfAbsent("", 0);
    }

    /** The offset of a string in the string section, appended when not there yet. */
    int offsetOf(String s) {
        Integer at = offsets.get(s);
        if (at != null) {
            return at;
        }
        int off = strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        offsets.put(s, off);
        return off;
    }

    /** The BTF with every string asked for: header, types, strings (the layout the kernel expects). */
    byte[] bytes() {
        byte[] s = strings.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(header.length + types.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header).put(types).put(s);
        out.putInt(8, 0).putInt(12, types.length).putInt(16, types.length).putInt(20, s.length);
        return out.array();
    }
}
