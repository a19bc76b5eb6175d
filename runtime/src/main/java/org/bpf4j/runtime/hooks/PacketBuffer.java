package org.bpf4j.runtime.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * The packet a program sees, laid out as the kernel lays out an XDP buffer: {@link #HEADROOM} bytes before the
 * frame, the frame, and room for the tail up to a page ({@link #FRAME_SIZE}), less the {@link #TAILROOM} the kernel
 * keeps for {@code skb_shared_info}. It lives in the low region of one thread's {@link Memory}, so that its
 * addresses fit the 32-bit context fields ({@code xdp_md.data}, {@code __sk_buff.data}).
 *
 * <p>Offsets ({@link #data()}, {@link #dataEnd()}, {@link #dataMeta()}) count from the buffer's first byte.
 */
public final class PacketBuffer {
    /** XDP_PACKET_HEADROOM. */
    public static final int HEADROOM = 256;
    /** What the kernel keeps at the buffer's end: SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86_64. */
    public static final int TAILROOM = 320;
    /** The kernel's frame size for a non-fragmented XDP buffer: one page. */
    public static final int FRAME_SIZE = 4096;
    /** sizeof(struct xdp_frame): the start of the headroom that adjust_head may not reach. */
    public static final int XDP_FRAME_SIZE = 40;
    /**
     * The most metadata the kernel allows: what skb_shared_info's u8 meta_len holds (it was 32 before 6.x; the
     * headroom leaves 216 here anyway).
     */
    public static final int MAX_META = 255;
    /** The largest frame a buffer takes (larger frames than a page get a bigger buffer, as with jumbo frames). */
    public static final int MAX_FRAME = 65535;

    private final Memory memory;
    private MemorySegment segment;
    private Region region;
    private int frameSize;
    private int data;
    private int dataEnd;
    private int dataMeta;

    public PacketBuffer(Memory memory) {
        this.memory = memory;
        resize(FRAME_SIZE);
    }

    // The bytes behind the segment: copying and clearing through the array allocates nothing per packet, where
    // MemorySegment.copy from an array and asSlice may. Programs cannot do atomics on packet data (the verifier
    // refuses them), so a byte[] serves, without the 8-byte alignment of Memory.allocate.
    private byte[] bytes;

    private void resize(int size) {
        bytes = new byte[size];
        segment = MemorySegment.ofArray(bytes);
        region = memory.mapLow("packet", segment, true);
    }

    /** Loads a frame: data at the headroom, no metadata. Reuses the buffer when the frame fits a page. */
    public void load(byte[] frame, int length) {
        if (length < 0 || length > MAX_FRAME || length > frame.length) {
            throw new IllegalArgumentException("frame length " + length + " out of range");
        }
        int needed = Math.max(FRAME_SIZE, HEADROOM + length + TAILROOM);
        if (segment.byteSize() < needed) {
            resize(needed);
        } else {
            // the headroom a previous packet may have written
            java.util.Arrays.fill(bytes, 0, HEADROOM, (byte) 0);
        }
        frameSize = needed;
        System.arraycopy(frame, 0, bytes, HEADROOM, length);
        data = HEADROOM;
        dataMeta = HEADROOM;
        dataEnd = HEADROOM + length;
    }

    public MemorySegment segment() {
        return segment;
    }

    public Region region() {
        return region;
    }

    /** Address of a buffer offset, as programs see it. */
    public long address(int offset) {
        return region.address(offset);
    }

    public int data() {
        return data;
    }

    public int dataEnd() {
        return dataEnd;
    }

    public int dataMeta() {
        return dataMeta;
    }

    public int length() {
        return dataEnd - data;
    }

    public int frameSize() {
        return frameSize;
    }

    /** The frame as it is now. */
    public byte[] frame() {
        return java.util.Arrays.copyOfRange(bytes, data, dataEnd);
    }

    /** bpf_xdp_adjust_head: moves the start of the frame by delta; 0 or -EINVAL. */
    public int adjustHead(int delta) {
        int metaLen = data - dataMeta;
        long newData = (long) data + delta;
        if (newData < XDP_FRAME_SIZE + metaLen || newData > dataEnd - 14) {
            return -Errno.EINVAL;
        }
        if (metaLen > 0) {
            System.arraycopy(bytes, dataMeta, bytes, dataMeta + delta, metaLen);
        }
        dataMeta += delta;
        data = (int) newData;
        return 0;
    }

    /** bpf_xdp_adjust_tail: moves the end of the frame by delta (growth zero-filled); 0 or -EINVAL. */
    public int adjustTail(int delta) {
        long newEnd = (long) dataEnd + delta;
        if (newEnd > frameSize - TAILROOM || newEnd < data + 14) {
            return -Errno.EINVAL;
        }
        if (delta > 0) {
            java.util.Arrays.fill(bytes, dataEnd, dataEnd + delta, (byte) 0);
        }
        dataEnd = (int) newEnd;
        return 0;
    }

    /**
     * bpf_xdp_adjust_meta: moves the start of the metadata; 0, -EINVAL (beyond the headroom's xdp_frame or the
     * data) or -EACCES (a length not 4-aligned, or above {@link #MAX_META}: include/net/xdp.h's
     * xdp_metalen_invalid).
     */
    public int adjustMeta(int delta) {
        long meta = (long) dataMeta + delta;
        if (meta < XDP_FRAME_SIZE || meta > data) {
            return -Errno.EINVAL;
        }
        long metaLen = data - meta;
        if ((metaLen & 3) != 0 || metaLen > MAX_META) {
            return -Errno.EACCES;
        }
        dataMeta = (int) meta;
        return 0;
    }

    /** Sets the frame bounds directly (TC's skb_change_tail and friends, tests). */
    void bounds(int newData, int newEnd) {
        this.data = newData;
        this.dataMeta = newData;
        this.dataEnd = newEnd;
    }
}
