package org.bpf4j.runtime.packet;

import java.nio.ByteBuffer;

/** Small hand-built frames for runtime tests (the net module has the full generator). */
final class Frames {
    private Frames() {}

    static final byte[] DST = {2, 0, 0, 0, 0, 2};
    static final byte[] SRC = {2, 0, 0, 0, 0, 1};

    static byte[] ipv4(int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4.length);
        b.put(DST).put(SRC).putShort((short) 0x0800);
        int start = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(new byte[] {10, 0, 0, 1})
                .put(new byte[] {10, 0, 0, 2});
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (b.get(start + i) & 0xff) << 8 | (b.get(start + i + 1) & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(start + 10, (short) ~sum);
        b.put(l4);
        return b.array();
    }

    static byte[] tcp(int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(1).putInt(0).put((byte) 0x50).put((byte) 2)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) 12).putShort((short) 0).putInt(0x68656c6f);
        return b.array();
    }

    static byte[] arp() {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(SRC).putShort((short) 0x0806);
        b.put(new byte[28]);
        return b.array();
    }
}
