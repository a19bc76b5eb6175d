package org.bpf4j.kernel.netlink;

import java.nio.ByteBuffer;

/** Reading netlink attributes (type-length-value, 4-byte aligned) out of a reply. */
final class Attributes {
    private Attributes() {}

    /** The payload of the first attribute of a type after {@code offset}, or null. */
    static ByteBuffer find(ByteBuffer b, int offset, int type) {
        int at = offset;
        while (at + 4 <= b.limit()) {
            int len = b.getShort(at) & 0xffff;
            int t = b.getShort(at + 2) & 0x3fff;
            if (len < 4 || at + len > b.limit()) {
                return null;
            }
            if (t == type) {
                return b.slice(at + 4, len - 4).order(b.order());
            }
            at += NetlinkSocket.align(len);
        }
        return null;
    }
}
