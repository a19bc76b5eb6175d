package org.bpf4j.runtime.helpers;

import java.nio.ByteBuffer;

/**
 * IPv4, TCP and UDP frames for the checksum tests, and the full checksum computation (RFC 1071) to check what
 * the incremental helpers leave against.
 */
final class Inet {
    private Inet() {}

    static final int TCP = 6, UDP = 17;
    static final int IP = 14, L4 = 34;

    /** The ones' complement sum of big-endian 16-bit words (an odd last byte padded with zero), folded. */
    static int sum(byte[] b, int off, int len, int initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            s += hi << 8 | lo;
        }
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /**
     * An Ethernet, IPv4 (20-byte header) and TCP or UDP frame with correct checksums. The destination MAC
     * carries the NAT programs' parameters: the new address and the new port.
     */
    static byte[] frame(int protocol, byte[] src, byte[] dst, int sport, int dport, byte[] payload, byte[] natAddr,
            int natPort) {
        int l4len = (protocol == TCP ? 20 : 8) + payload.length;
        ByteBuffer b = ByteBuffer.allocate(L4 + l4len);
        b.put(natAddr).putShort((short) natPort).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4len)).putShort((short) 0x1c7a)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0).put(src).put(dst);
        b.putShort((short) sport).putShort((short) dport);
        if (protocol == TCP) {
            b.putInt(0x01020304).putInt(0).put((byte) 0x50).put((byte) 0x18).putShort((short) 502)
                    .putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) l4len).putShort((short) 0);
        }
        b.put(payload);
        byte[] f = b.array();
        setIpChecksum(f);
        setL4Checksum(f);
        return f;
    }

    static void setIpChecksum(byte[] f) {
        put16(f, IP + 10, 0);
        put16(f, IP + 10, ~sum(f, IP, 20, 0) & 0xffff);
    }

    static int checksumOffset(byte[] f) {
        return L4 + (f[IP + 9] == TCP ? 16 : 6);
    }

    /** Sets the TCP or UDP checksum (UDP's 0 sent as 0xffff, RFC 768). */
    static void setL4Checksum(byte[] f) {
        int at = checksumOffset(f);
        put16(f, at, 0);
        int c = ~l4Sum(f) & 0xffff;
        put16(f, at, c == 0 && f[IP + 9] == UDP ? 0xffff : c);
    }

    /** The sum over the pseudo header and the segment, as the field now is. */
    static int l4Sum(byte[] f) {
        int l4len = f.length - L4;
        byte[] pseudo = new byte[12];
        System.arraycopy(f, IP + 12, pseudo, 0, 8);
        pseudo[9] = f[IP + 9];
        pseudo[10] = (byte) (l4len >> 8);
        pseudo[11] = (byte) l4len;
        return sum(f, L4, l4len, sum(pseudo, 0, 12, 0));
    }

    static boolean ipChecksumValid(byte[] f) {
        return sum(f, IP, 20, 0) == 0xffff;
    }

    static boolean l4ChecksumValid(byte[] f) {
        return l4Sum(f) == 0xffff;
    }

    static int get16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | f[at + 1] & 0xff;
    }

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >> 8);
        f[at + 1] = (byte) v;
    }

    static byte[] addr(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }
}
