package org.bpf4j.kernel.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A netlink message under construction: header, family header, attributes (nested ones too), in host byte
 * order and 4-byte aligned as {@code NLMSG_ALIGN} and {@code NLA_ALIGN} want.
 */
public final class Message {
    static final int NLA_F_NESTED = 0x8000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Deque<Integer> nests = new ArrayDeque<>();
    private final int type;
    private final int flags;

    /** A message of a type (e.g. RTM_SETLINK) with extra header flags (e.g. NLM_F_CREATE). */
    public Message(int type, int flags) {
        this.type = type;
        this.flags = flags;
        out.writeBytes(new byte[16]); // nlmsghdr, filled in by finish
    }

    public Message bytes(byte[] b) {
        out.writeBytes(b);
        pad();
        return this;
    }

    public Message attr(int type, byte[] payload) {
        ByteBuffer h = le(4).putShort((short) (4 + payload.length)).putShort((short) type);
        out.writeBytes(h.array());
        out.writeBytes(payload);
        pad();
        return this;
    }

    public Message u8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    public Message u16(int type, int v) {
        return attr(type, le(2).putShort((short) v).array());
    }

    public Message u32(int type, int v) {
        return attr(type, le(4).putInt(v).array());
    }

    public Message string(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return attr(type, z);
    }

    /** Opens a nested attribute; close it with {@link #end()}. */
    public Message nest(int type) {
        nests.push(out.size());
        out.writeBytes(le(4).putShort((short) 0).putShort((short) (type | NLA_F_NESTED)).array());
        return this;
    }

    public Message end() {
        int start = nests.pop();
        byte[] all = out.toByteArray();
        int len = all.length - start;
        all[start] = (byte) len;
        all[start + 1] = (byte) (len >>> 8);
        out.reset();
        out.writeBytes(all);
        return this;
    }

    byte[] finish(int seq, int baseFlags) {
        byte[] all = out.toByteArray();
        ByteBuffer.wrap(all).order(ByteOrder.nativeOrder()).putInt(0, all.length).putShort(4, (short) type)
                .putShort(6, (short) (baseFlags | flags)).putInt(8, seq).putInt(12, 0);
        return all;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
    }
}
