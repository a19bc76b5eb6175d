package org.bpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;

/**
 * One addressable region: a segment seen by programs at {@code id << 32 | (base + offset)}.
 *
 * @param id       the high 32 bits of every address in the region
 * @param name     what it is, for fault messages ("stack frame 0", "packet", "map counters")
 * @param segment  the bytes
 * @param base     offset of the segment's first byte within the region's 4 GiB window
 * @param writable false for read-only data (e.g. {@code .rodata})
 */
public record Region(int id, String name, MemorySegment segment, long base, boolean writable) {
    public Region {
        if (base < 0 || base + segment.byteSize() > 1L << 32) {
            throw new IllegalArgumentException("region " + name + " does not fit its 4 GiB window");
        }
    }

    /** Address of the first byte. */
    public long start() {
        return (long) id << 32 | base;
    }

    /** Address one past the last byte. */
    public long end() {
        return start() + segment.byteSize();
    }

    /** Address of the byte at {@code offset} from the start. */
    public long address(long offset) {
        return start() + offset;
    }
}
