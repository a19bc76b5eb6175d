package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bpf4j.runtime.memory.Memory;

/**
 * The storage of every hash-like map: a preallocated slab of {@code maxEntries} elements (keys in one segment,
 * values in another, both at fixed strides), a chained index over them, and a free list of unused elements.
 *
 * <h2>Layout</h2> Element {@code s} keeps its key at {@code s * keyStride} of {@link #keys} and its value at
 * {@code s * valueStride} of {@link #values}; per-CPU tables keep the CPUs' copies one after another
 * ({@code cpuStride = round_up(valueSize, 8)} apart). An element keeps its slot while it exists; a deleted
 * element's slot goes on the free list and may be reused, as the kernel reuses preallocated elements.
 *
 * <h2>Concurrency</h2> Lookups take no lock and allocate nothing. Buckets are chains of slot indexes
 * ({@code heads}, {@code next}); a chain ends with a negative marker naming its bucket, {@code -1 - bucket}, so a
 * reader that was carried into another chain by a concurrently reused element notices it and restarts (the
 * kernel's "nulls" lists). Each slot has a sequence number, odd while the slot's key is being written; a reader
 * accepts a key match only when the number is even and unchanged across the comparison, so it never matches a
 * torn key. Writers lock a stripe of buckets; the free list is a Treiber stack with a tag against ABA. LRU
 * tables use one lock for all writers (and the exact recency list) instead of stripes.
 */
final class HashTable {
    static final int NONE = -1;
    /** Or'ed into {@link #update}'s result when the update added an element. */
    static final int INSERTED = 1 << 30;

    /** Value copy for non-per-CPU tables: {@code valueSize} bytes. */
    static final int COPY_ONE = 0;
    /** Into one CPU's copy; a new element's other copies are zeroed (a program's update). */
    static final int COPY_CPU = 1;
    /** The same {@code valueSize} bytes into every CPU's copy. */
    static final int COPY_ALL = 2;
    /** The source holds {@code cpus * cpuStride} bytes, one value per CPU (the syscall's layout). */
    static final int COPY_PERCPU = 3;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle FREE_TOP;

    static {
        try {
            FREE_TOP = MethodHandles.lookup().findVarHandle(HashTable.class, "freeTop", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int keySize;
    final int keyStride;
    final int valueSize;
    final int cpuStride;
    final int cpus;
    final int valueStride;
    final int maxEntries;
    /** Keys, {@code keyStride} apart. */
    final MemorySegment keys;
    /** Values, {@code valueStride} apart. */
    final MemorySegment values;

    private final int bucketMask;
    private final int[] heads;
    private final int[] next;
    private final int[] hashes;
    private final int[] seq;
    private final int[] freeNext;
    private final boolean[] live;
    private final Object[] locks;
    private final int lockMask;
    private final long seed;
    private final AtomicInteger count = new AtomicInteger();
    @SuppressWarnings("unused") // through FREE_TOP
    private volatile long freeTop;

    private final boolean lru;
    private final int[] lruPrev;
    private final int[] lruNext;
    private int lruHead = NONE;
    private int lruTail = NONE;

    HashTable(int keySize, int valueSize, int maxEntries, int cpus, boolean lru, long seed) {
        this.keySize = keySize;
        this.keyStride = ProgramMemory.roundUp8(Math.max(keySize, 1));
        this.valueSize = valueSize;
        this.cpuStride = ProgramMemory.roundUp8(valueSize);
        this.cpus = cpus;
        this.valueStride = cpuStride * cpus;
        this.maxEntries = maxEntries;
        this.keys = Memory.allocate((long) maxEntries * keyStride);
        this.values = Memory.allocate((long) maxEntries * valueStride);
        this.seed = seed;
        int nb = Integer.highestOneBit(Math.max(2, maxEntries) - 1) << 1;
        this.bucketMask = nb - 1;
        this.heads = new int[nb];
        for (int b = 0; b < nb; b++) {
            heads[b] = -1 - b;
        }
        this.next = new int[maxEntries];
        Arrays.fill(next, -1);
        this.hashes = new int[maxEntries];
        this.seq = new int[maxEntries];
        this.live = new boolean[maxEntries];
        this.freeNext = new int[maxEntries];
        for (int s = 0; s < maxEntries; s++) {
            freeNext[s] = s + 1 < maxEntries ? s + 1 : NONE;
        }
        FREE_TOP.setRelease(this, maxEntries > 0 ? 1L : 0L);
        this.lru = lru;
        int stripes = lru ? 1 : Math.min(nb, 256);
        this.locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new Object();
        }
        this.lockMask = stripes - 1;
        this.lruPrev = lru ? new int[maxEntries] : null;
        this.lruNext = lru ? new int[maxEntries] : null;
    }

    int hash(MemorySegment seg, long off) {
        return Hashing.hash(seg, off, keySize, seed);
    }

    private int bucket(int h) {
        return h & bucketMask;
    }

    private Object lockOf(int bucket) {
        return locks[bucket & lockMask];
    }

    private boolean keyEquals(int slot, MemorySegment seg, long off) {
        long at = (long) slot * keyStride;
        return MemorySegment.mismatch(keys, at, at + keySize, seg, off, off + keySize) == -1;
    }

    /** Number of elements. */
    int size() {
        return count.get();
    }

    /** Offset in {@link #values} of a slot's copy for a CPU. */
    long valueOffset(int slot, int cpu) {
        return (long) slot * valueStride + (long) cpu * cpuStride;
    }

    // ---- lock-free lookup

    /** The slot holding the key at {@code seg[off]}, or {@link #NONE}. Takes no lock, allocates nothing. */
    int find(MemorySegment seg, long off) {
        int h = hash(seg, off);
        int b = bucket(h);
        restart:
        while (true) {
            int x = (int) INTS.getAcquire(heads, b);
            int steps = 0;
            while (x >= 0) {
                if (hashes[x] == h) {
                    int s = (int) INTS.getAcquire(seq, x);
                    if ((s & 1) == 0 && keyEquals(x, seg, off)) {
                        VarHandle.loadLoadFence();
                        if ((int) INTS.getOpaque(seq, x) == s) {
                            return x;
                        }
                        continue restart;
                    }
                }
                x = (int) INTS.getAcquire(next, x);
                if (++steps > maxEntries) {
                    continue restart;
                }
            }
            if (x == -1 - b) {
                return NONE;
            }
            // carried into another bucket's chain by a reused element: start again
        }
    }

    /** Like {@link #find} for a 4-byte key given as an int (its little-endian bytes). */
    int findU32(int key) {
        int h = Hashing.hashU32(key, seed);
        int b = bucket(h);
        restart:
        while (true) {
            int x = (int) INTS.getAcquire(heads, b);
            int steps = 0;
            while (x >= 0) {
                if (hashes[x] == h) {
                    int s = (int) INTS.getAcquire(seq, x);
                    if ((s & 1) == 0 && keys.get(ProgramMemory.LE32, (long) x * keyStride) == key) {
                        VarHandle.loadLoadFence();
                        if ((int) INTS.getOpaque(seq, x) == s) {
                            return x;
                        }
                        continue restart;
                    }
                }
                x = (int) INTS.getAcquire(next, x);
                if (++steps > maxEntries) {
                    continue restart;
                }
            }
            if (x == -1 - b) {
                return NONE;
            }
        }
    }

    /** Marks a slot most recently used (LRU tables; program lookups). */
    void touch(int slot) {
        if (!lru) {
            return;
        }
        synchronized (locks[0]) {
            if (live[slot] && lruHead != slot) {
                lruRemove(slot);
                lruAddFront(slot);
            }
        }
    }

    // ---- writers

    private int findLocked(MemorySegment seg, long off, int h, int b) {
        for (int x = heads[b]; x >= 0; x = next[x]) {
            if (hashes[x] == h && keyEquals(x, seg, off)) {
                return x;
            }
        }
        return NONE;
    }

    /**
     * Adds or replaces the element with the key at {@code kseg[koff]}; the value comes from {@code vseg[voff]}
     * as {@code mode} says. {@code flags} is {@code BPF_ANY}, {@code BPF_NOEXIST} or {@code BPF_EXIST} (already
     * checked). Returns the slot, or'ed with {@link #INSERTED} for a new element, or a negative errno:
     * {@code -EEXIST}, {@code -ENOENT}, or {@code -E2BIG} when no element is free (an LRU table evicts instead).
     */
    long update(MemorySegment kseg, long koff, MemorySegment vseg, long voff, int mode, int cpu, long flags) {
        int h = hash(kseg, koff);
        int b = bucket(h);
        synchronized (lockOf(b)) {
            int x = findLocked(kseg, koff, h, b);
            if (x >= 0) {
                if (flags == BpfMap.NOEXIST) {
                    return -Errno.EEXIST;
                }
                writeValue(x, vseg, voff, mode, cpu, false);
                if (lru) {
                    lruRemove(x);
                    lruAddFront(x);
                }
                return x;
            }
            if (flags == BpfMap.EXIST) {
                return -Errno.ENOENT;
            }
            int s = popFree();
            if (s < 0) {
                s = lru ? evictLocked() : NONE;
                if (s < 0) {
                    return -Errno.E2BIG;
                }
            }
            int q = seq[s];
            INTS.setRelease(seq, s, q + 1);
            VarHandle.storeStoreFence();
            MemorySegment.copy(kseg, koff, keys, (long) s * keyStride, keySize);
            hashes[s] = h;
            writeValue(s, vseg, voff, mode, cpu, true);
            live[s] = true;
            INTS.setRelease(seq, s, q + 2);
            INTS.setRelease(next, s, heads[b]);
            INTS.setRelease(heads, b, s);
            count.incrementAndGet();
            if (lru) {
                lruAddFront(s);
            }
            return s | INSERTED;
        }
    }

    private void writeValue(int slot, MemorySegment vseg, long voff, int mode, int cpu, boolean fresh) {
        long base = (long) slot * valueStride;
        if (fresh) {
            for (long i = 0; i < valueStride; i += 8) {
                values.set(ValueLayout.JAVA_LONG, base + i, 0L);
            }
        }
        switch (mode) {
            case COPY_ONE -> MemorySegment.copy(vseg, voff, values, base, valueSize);
            case COPY_CPU -> MemorySegment.copy(vseg, voff, values, base + (long) cpu * cpuStride, valueSize);
            case COPY_ALL -> {
                for (int c = 0; c < cpus; c++) {
                    MemorySegment.copy(vseg, voff, values, base + (long) c * cpuStride, valueSize);
                }
            }
            default -> {
                for (int c = 0; c < cpus; c++) {
                    MemorySegment.copy(vseg, voff + (long) c * cpuStride, values, base + (long) c * cpuStride,
                            valueSize);
                }
            }
        }
    }

    /** Deletes the element with the key at {@code kseg[koff]}: 0, or {@code -ENOENT}. */
    long delete(MemorySegment kseg, long koff) {
        int h = hash(kseg, koff);
        int b = bucket(h);
        synchronized (lockOf(b)) {
            int prev = NONE;
            int x = heads[b];
            while (x >= 0 && !(hashes[x] == h && keyEquals(x, kseg, koff))) {
                prev = x;
                x = next[x];
            }
            if (x < 0) {
                return -Errno.ENOENT;
            }
            unlinkLocked(b, prev, x);
            pushFree(x);
            return 0;
        }
    }

    // Unlinks x from bucket b; x keeps its next pointer, so that readers standing on it go on.
    private void unlinkLocked(int b, int prev, int x) {
        int n = next[x];
        if (prev < 0) {
            INTS.setRelease(heads, b, n);
        } else {
            INTS.setRelease(next, prev, n);
        }
        live[x] = false;
        if (lru) {
            lruRemove(x);
        }
        count.decrementAndGet();
    }

    // LRU tables only (one lock): removes the least recently used element and returns its slot.
    private int evictLocked() {
        int v = lruTail;
        if (v < 0) {
            return NONE;
        }
        int b = bucket(hashes[v]);
        int prev = NONE;
        for (int x = heads[b]; x != v; x = next[x]) {
            prev = x;
        }
        unlinkLocked(b, prev, v);
        return v;
    }

    private int popFree() {
        while (true) {
            long top = (long) FREE_TOP.getAcquire(this);
            int s = (int) top - 1;
            if (s < 0) {
                return NONE;
            }
            int n = freeNext[s];
            long newTop = ((top >>> 32) + 1) << 32 | ((n + 1) & 0xffff_ffffL);
            if (FREE_TOP.compareAndSet(this, top, newTop)) {
                return s;
            }
        }
    }

    private void pushFree(int s) {
        while (true) {
            long top = (long) FREE_TOP.getAcquire(this);
            freeNext[s] = (int) top - 1;
            long newTop = ((top >>> 32) + 1) << 32 | (s + 1);
            if (FREE_TOP.compareAndSet(this, top, newTop)) {
                return;
            }
        }
    }

    private void lruAddFront(int s) {
        lruPrev[s] = NONE;
        lruNext[s] = lruHead;
        if (lruHead >= 0) {
            lruPrev[lruHead] = s;
        } else {
            lruTail = s;
        }
        lruHead = s;
    }

    private void lruRemove(int s) {
        int p = lruPrev[s];
        int n = lruNext[s];
        if (p >= 0) {
            lruNext[p] = n;
        } else {
            lruHead = n;
        }
        if (n >= 0) {
            lruPrev[n] = p;
        } else {
            lruTail = p;
        }
        lruPrev[s] = NONE;
        lruNext[s] = NONE;
    }

    // ---- control plane (locks the buckets it reads, so it sees whole elements)

    /** A copy of the value ({@code valueStride} bytes) of the key at {@code kseg[koff]}, or null. */
    byte[] copyValue(MemorySegment kseg, long koff) {
        int h = hash(kseg, koff);
        int b = bucket(h);
        synchronized (lockOf(b)) {
            int x = findLocked(kseg, koff, h, b);
            if (x < 0) {
                return null;
            }
            byte[] out = new byte[valueStride];
            MemorySegment.copy(values, ValueLayout.JAVA_BYTE, (long) x * valueStride, out, 0, valueStride);
            return out;
        }
    }

    /** Like {@link #copyValue} then {@link #delete}, atomically. */
    byte[] copyAndDelete(MemorySegment kseg, long koff) {
        int h = hash(kseg, koff);
        int b = bucket(h);
        synchronized (lockOf(b)) {
            int prev = NONE;
            int x = heads[b];
            while (x >= 0 && !(hashes[x] == h && keyEquals(x, kseg, koff))) {
                prev = x;
                x = next[x];
            }
            if (x < 0) {
                return null;
            }
            byte[] out = new byte[valueStride];
            MemorySegment.copy(values, ValueLayout.JAVA_BYTE, (long) x * valueStride, out, 0, valueStride);
            unlinkLocked(b, prev, x);
            pushFree(x);
            return out;
        }
    }

    private byte[] keyOf(int slot) {
        byte[] k = new byte[keySize];
        MemorySegment.copy(keys, ValueLayout.JAVA_BYTE, (long) slot * keyStride, k, 0, keySize);
        return k;
    }

    /**
     * The kernel's get-next-key: the key after {@code key} in bucket order, the first key when {@code key} is
     * null or absent, null after the last.
     */
    byte[] nextKey(byte[] key) {
        int from = 0;
        if (key != null) {
            MemorySegment k = MemorySegment.ofArray(key);
            int h = hash(k, 0);
            int b = bucket(h);
            synchronized (lockOf(b)) {
                int x = findLocked(k, 0, h, b);
                if (x >= 0) {
                    if (next[x] >= 0) {
                        return keyOf(next[x]);
                    }
                    from = b + 1;
                }
            }
        }
        for (int b = from; b <= bucketMask; b++) {
            synchronized (lockOf(b)) {
                if (heads[b] >= 0) {
                    return keyOf(heads[b]);
                }
            }
        }
        return null;
    }

    /** Receives one element of a walk. */
    interface SlotVisitor {
        /** Returns true to stop the walk. */
        boolean visit(int slot);
    }

    /**
     * Visits every element in bucket order, outside the bucket locks (a visitor may update or delete, as a
     * for_each callback may); returns the number visited. An element deleted meanwhile is skipped.
     */
    long forEachSlot(SlotVisitor visitor) {
        int[] chain = new int[8];
        long visited = 0;
        for (int b = 0; b <= bucketMask; b++) {
            int n = 0;
            synchronized (lockOf(b)) {
                for (int x = heads[b]; x >= 0; x = next[x]) {
                    if (n == chain.length) {
                        chain = Arrays.copyOf(chain, n * 2);
                    }
                    chain[n++] = x;
                }
            }
            for (int i = 0; i < n; i++) {
                if (!isLive(chain[i])) {
                    continue;
                }
                visited++;
                if (visitor.visit(chain[i])) {
                    return visited;
                }
            }
        }
        return visited;
    }

    private boolean isLive(int slot) {
        synchronized (locks[bucket(hashes[slot]) & lockMask]) {
            return live[slot];
        }
    }

    /** Every element as {key, value (valueStride bytes)}, in bucket order. */
    List<byte[][]> entries() {
        List<byte[][]> out = new ArrayList<>();
        for (int b = 0; b <= bucketMask; b++) {
            synchronized (lockOf(b)) {
                for (int x = heads[b]; x >= 0; x = next[x]) {
                    byte[] v = new byte[valueStride];
                    MemorySegment.copy(values, ValueLayout.JAVA_BYTE, (long) x * valueStride, v, 0, valueStride);
                    out.add(new byte[][] {keyOf(x), v});
                }
            }
        }
        return out;
    }

    /** Keys from least to most recently used (LRU tables). */
    List<byte[]> lruOrder() {
        List<byte[]> out = new ArrayList<>();
        synchronized (locks[0]) {
            for (int x = lruTail; x >= 0; x = lruPrev[x]) {
                out.add(keyOf(x));
            }
        }
        return out;
    }

    /**
     * Checks the structure with every lock held: each live element in exactly one chain (its own bucket), every
     * other slot on the free list exactly once, the count right, the LRU list holding exactly the live elements.
     * Returns a description of the first problem, or null. For tests.
     */
    String checkInvariants() {
        return lockAll(0);
    }

    private String lockAll(int i) {
        if (i < locks.length) {
            synchronized (locks[i]) {
                return lockAll(i + 1);
            }
        }
        int[] seen = new int[maxEntries];
        int liveCount = 0;
        for (int b = 0; b <= bucketMask; b++) {
            int x = heads[b];
            int steps = 0;
            for (; x >= 0; x = next[x]) {
                if (++steps > maxEntries) {
                    return "cycle in bucket " + b;
                }
                if (seen[x]++ != 0) {
                    return "slot " + x + " in two chains";
                }
                if (!live[x]) {
                    return "dead slot " + x + " in bucket " + b;
                }
                if (bucket(hashes[x]) != b) {
                    return "slot " + x + " in the wrong bucket";
                }
                if (hash(keys, (long) x * keyStride) != hashes[x]) {
                    return "slot " + x + " has a stale hash";
                }
                if ((seq[x] & 1) != 0) {
                    return "slot " + x + " left mid-write";
                }
                liveCount++;
            }
            if (x != -1 - b) {
                return "bucket " + b + " ends with the wrong marker " + x;
            }
        }
        if (liveCount != count.get()) {
            return "count " + count.get() + " but " + liveCount + " live elements";
        }
        int free = 0;
        for (int s = (int) (long) FREE_TOP.getAcquire(this) - 1; s >= 0; s = freeNext[s]) {
            if (++free > maxEntries || seen[s]++ != 0) {
                return "free slot " + s + " is live or listed twice";
            }
        }
        if (free + liveCount != maxEntries) {
            return free + " free + " + liveCount + " live != " + maxEntries;
        }
        if (lru) {
            int n = 0;
            for (int x = lruHead, p = NONE; x >= 0; p = x, x = lruNext[x]) {
                if (++n > maxEntries || !live[x] || lruPrev[x] != p) {
                    return "LRU list broken at slot " + x;
                }
            }
            if (n != liveCount) {
                return "LRU list holds " + n + " of " + liveCount + " elements";
            }
        }
        return null;
    }
}
