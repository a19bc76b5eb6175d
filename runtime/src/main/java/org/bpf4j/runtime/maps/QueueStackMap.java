package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;

/**
 * {@code BPF_MAP_TYPE_QUEUE} (FIFO) and {@code BPF_MAP_TYPE_STACK} (LIFO): no keys ({@code key_size} 0), up to
 * max_entries values, copied in and out (programs never hold pointers into the map).
 *
 * <p>Push flags: {@code BPF_ANY}, or {@code BPF_EXIST} to make room when full by dropping the oldest element
 * (for a stack too: the bottom one); anything else {@code EINVAL}. Push into a full map without
 * {@code BPF_EXIST} is {@code E2BIG}; pop and peek of an empty map {@code ENOENT}. The control plane pushes with
 * {@link #push(byte[], long)} (the syscall's update with no key), peeks with {@link #peek()} (lookup) and pops
 * with {@link #pop()} (lookup-and-delete). bpftool dumps these as {@code []}.
 */
public final class QueueStackMap extends BpfMap {
    private final boolean stack;
    private final int valueSize;
    private final MemorySegment slots;
    private int head;
    private int count;

    QueueStackMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        this.stack = spec.type() == MapType.STACK;
        if (spec.keySize() != 0 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw invalid(spec.type().bpftoolName() + " maps need key_size 0, value_size > 0 and max_entries > 0");
        }
        this.valueSize = spec.valueSize();
        checkSlab(spec, (long) valueSize * spec.maxEntries());
        this.slots = Memory.allocate((long) valueSize * spec.maxEntries());
    }

    private long checkPushFlags(long flags) {
        return flags == ANY || flags == EXIST ? 0 : -Errno.EINVAL;
    }

    // Under the lock: the slot for a new element, making room if allowed; -E2BIG when full.
    private long pushSlot(long flags) {
        int max = spec.maxEntries();
        if (count == max) {
            if (flags != EXIST) {
                return -Errno.E2BIG;
            }
            head = (head + 1) % max;
            count--;
        }
        int at = (head + count) % max;
        count++;
        return (long) at * valueSize;
    }

    // Under the lock: the offset of the element pop/peek returns, or -1.
    private long topSlot() {
        if (count == 0) {
            return -1;
        }
        int at = stack ? (head + count - 1) % spec.maxEntries() : head;
        return (long) at * valueSize;
    }

    private void removeTop() {
        if (!stack) {
            head = (head + 1) % spec.maxEntries();
        }
        count--;
    }

    // ---- program side

    @Override
    public long push(Memory mem, long valueAddress, long flags) {
        long err = checkPushFlags(flags);
        if (err != 0) {
            return err;
        }
        MemorySegment src = ProgramMemory.segment(mem, valueAddress, valueSize, false);
        long from = ProgramMemory.offset(mem, valueAddress);
        synchronized (this) {
            long at = pushSlot(flags);
            if (at < 0) {
                return at;
            }
            MemorySegment.copy(src, from, slots, at, valueSize);
            return 0;
        }
    }

    @Override
    public long pop(Memory mem, long valueAddress) {
        return take(mem, valueAddress, true);
    }

    @Override
    public long peek(Memory mem, long valueAddress) {
        return take(mem, valueAddress, false);
    }

    private long take(Memory mem, long valueAddress, boolean remove) {
        MemorySegment dst = ProgramMemory.segment(mem, valueAddress, valueSize, true);
        long to = ProgramMemory.offset(mem, valueAddress);
        synchronized (this) {
            long at = topSlot();
            if (at < 0) {
                dst.asSlice(to, valueSize).fill((byte) 0); // as the kernel's __queue_map_get does
                return -Errno.ENOENT;
            }
            MemorySegment.copy(slots, at, dst, to, valueSize);
            if (remove) {
                removeTop();
            }
            return 0;
        }
    }

    // ---- control plane

    @Override
    public void push(byte[] value, long flags) {
        checkValue("push", value, valueSize);
        if (checkPushFlags(flags) != 0) {
            throw new MapException("push", Errno.EINVAL, "flags must be BPF_ANY or BPF_EXIST");
        }
        synchronized (this) {
            long at = pushSlot(flags);
            if (at < 0) {
                throw new MapException("push", Errno.E2BIG, spec.type().bpftoolName() + " is full (max_entries "
                        + spec.maxEntries() + ")");
            }
            MemorySegment.copy(value, 0, slots, ValueLayout.JAVA_BYTE, at, valueSize);
        }
    }

    @Override
    public Optional<byte[]> pop() {
        return takeCopy(true);
    }

    @Override
    public Optional<byte[]> peek() {
        return takeCopy(false);
    }

    private synchronized Optional<byte[]> takeCopy(boolean remove) {
        long at = topSlot();
        if (at < 0) {
            return Optional.empty();
        }
        byte[] out = new byte[valueSize];
        MemorySegment.copy(slots, ValueLayout.JAVA_BYTE, at, out, 0, valueSize);
        if (remove) {
            removeTop();
        }
        return Optional.of(out);
    }

    /** Peek: the key must be null or empty. */
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkNoKey("lookup", key);
        return peek();
    }

    /** Push: the key must be null or empty. */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkNoKey("update", key);
        push(value, flags);
    }

    /** Pop: the key must be null or empty. */
    @Override
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        checkNoKey("lookup_and_delete", key);
        return pop();
    }

    @Override
    public void delete(byte[] key) {
        throw MapException.of("delete", Errno.EINVAL);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        throw MapException.of("get_next_key", Errno.EINVAL);
    }

    private static void checkNoKey(String op, byte[] key) {
        if (key != null && key.length != 0) {
            throw new MapException(op, Errno.EINVAL, "queues and stacks have no keys");
        }
    }

    @Override
    public synchronized int size() {
        return count;
    }

    @Override
    boolean dumpable() {
        return false;
    }
}
