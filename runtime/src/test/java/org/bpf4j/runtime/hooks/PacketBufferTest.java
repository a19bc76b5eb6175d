package org.bpf4j.runtime.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/**
 * PacketBuffer, the XDP buffer layout every hook keeps its frame in: 256 bytes of headroom (the xdp_frame's 40
 * at its start out of reach), the frame, then room up to a 4096-byte page less 320 bytes for skb_shared_info.
 */
class PacketBufferTest {
    static final int EINVAL = -Errno.EINVAL, EACCES = -Errno.EACCES;

    final Memory memory = new Memory();
    final PacketBuffer buffer = new PacketBuffer(memory);

    static byte[] frame(int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i + 1);
        }
        return f;
    }

    @Test
    void aFrameStartsAfterTheHeadroomWithoutMetadata() {
        buffer.load(frame(100), 100);
        assertEquals(PacketBuffer.HEADROOM, buffer.data());
        assertEquals(PacketBuffer.HEADROOM, buffer.dataMeta());
        assertEquals(PacketBuffer.HEADROOM + 100, buffer.dataEnd());
        assertEquals(100, buffer.length());
        assertEquals(PacketBuffer.FRAME_SIZE, buffer.frameSize());
        assertArrayEquals(frame(100), buffer.frame());
        assertEquals(Memory.LOW_BASE + PacketBuffer.HEADROOM, buffer.address(buffer.data()), "below 4 GiB");
    }

    @Test
    void onlyPartOfAFrameCanBeLoaded() {
        buffer.load(frame(100), 60);
        assertArrayEquals(Arrays.copyOf(frame(100), 60), buffer.frame());
        assertThrows(IllegalArgumentException.class, () -> buffer.load(frame(10), 11));
        assertThrows(IllegalArgumentException.class, () -> buffer.load(frame(10), -1));
        assertThrows(IllegalArgumentException.class, () -> buffer.load(new byte[70_000], PacketBuffer.MAX_FRAME + 1));
    }

    @Test
    void headLimits() {
        buffer.load(frame(64), 64);
        assertEquals(EINVAL, buffer.adjustHead(-(PacketBuffer.HEADROOM - PacketBuffer.XDP_FRAME_SIZE) - 1));
        assertEquals(EINVAL, buffer.adjustHead(51));
        assertEquals(0, buffer.adjustHead(50));
        assertEquals(14, buffer.length());
        assertEquals(0, buffer.adjustHead(-50 - (PacketBuffer.HEADROOM - PacketBuffer.XDP_FRAME_SIZE)));
        assertEquals(PacketBuffer.XDP_FRAME_SIZE, buffer.data());
        assertEquals(EINVAL, buffer.adjustHead(-1));
    }

    @Test
    void tailLimits() {
        buffer.load(frame(64), 64);
        int room = PacketBuffer.FRAME_SIZE - PacketBuffer.TAILROOM - PacketBuffer.HEADROOM - 64;
        assertEquals(EINVAL, buffer.adjustTail(room + 1));
        assertEquals(EINVAL, buffer.adjustTail(-51));
        assertEquals(0, buffer.adjustTail(room));
        assertEquals(3520, buffer.length());
        assertEquals(0, buffer.adjustTail(-3520 + 14));
        assertEquals(14, buffer.length());
    }

    @Test
    void tailGrowthIsZeroFilled() {
        buffer.load(frame(200), 200);
        buffer.adjustTail(-150);
        assertEquals(0, buffer.adjustTail(150));
        byte[] expected = Arrays.copyOf(frame(200), 200);
        Arrays.fill(expected, 50, 200, (byte) 0);
        assertArrayEquals(expected, buffer.frame());
    }

    @Test
    void metaLimitsAndAlignment() {
        buffer.load(frame(64), 64);
        assertEquals(EACCES, buffer.adjustMeta(-3));
        assertEquals(EINVAL, buffer.adjustMeta(1), "after the data");
        assertEquals(0, buffer.adjustMeta(-36));
        assertEquals(36, buffer.data() - buffer.dataMeta());
        assertEquals(0, buffer.adjustMeta(36));
        int most = PacketBuffer.HEADROOM - PacketBuffer.XDP_FRAME_SIZE;
        assertEquals(0, buffer.adjustMeta(-most));
        assertEquals(EINVAL, buffer.adjustMeta(-4));
        assertEquals(PacketBuffer.XDP_FRAME_SIZE, buffer.dataMeta());
    }

    @Test
    void theHeadCarriesTheMetadataAndKeepsRoomForIt() {
        buffer.load(frame(64), 64);
        buffer.adjustMeta(-8);
        MemorySegment seg = buffer.segment();
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, buffer.dataMeta(), 0x1122334455667788L);
        assertEquals(0, buffer.adjustHead(-100));
        assertEquals(8, buffer.data() - buffer.dataMeta());
        assertEquals(0x1122334455667788L, seg.get(ValueLayout.JAVA_LONG_UNALIGNED, buffer.dataMeta()));
        assertEquals(0, buffer.adjustHead(120));
        assertEquals(0x1122334455667788L, seg.get(ValueLayout.JAVA_LONG_UNALIGNED, buffer.dataMeta()));
        assertEquals(EINVAL, buffer.adjustHead(-(buffer.data() - PacketBuffer.XDP_FRAME_SIZE - 8) - 1));
    }

    @Test
    void aReloadForgetsMetadataAndClearsTheHeadroom() {
        buffer.load(frame(64), 64);
        buffer.adjustMeta(-32);
        buffer.segment().asSlice(buffer.dataMeta(), 32).fill((byte) 0x5a);
        buffer.adjustHead(-100);
        buffer.load(frame(30), 30);
        assertEquals(buffer.data(), buffer.dataMeta());
        assertEquals(-1, buffer.segment().asSlice(0, PacketBuffer.HEADROOM).mismatch(MemorySegment.ofArray(
                new byte[PacketBuffer.HEADROOM])));
    }

    @Test
    void aFrameLargerThanAPageGetsABufferWithTheSameHeadroomAndTailroom() {
        buffer.load(frame(9000), 9000);
        assertEquals(PacketBuffer.HEADROOM + 9000 + PacketBuffer.TAILROOM, buffer.frameSize());
        assertEquals(EINVAL, buffer.adjustTail(1), "no room to grow: the kernel would need fragments");
        assertEquals(0, buffer.adjustTail(-8000));
        assertEquals(0, buffer.adjustTail(8000));
        buffer.load(frame(100), 100);
        assertEquals(PacketBuffer.FRAME_SIZE, buffer.frameSize(), "a small frame again gets a page's limits");
        assertEquals(EINVAL, buffer.adjustTail(3421));
    }
}
