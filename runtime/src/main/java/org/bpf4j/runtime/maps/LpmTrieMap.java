package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * {@code BPF_MAP_TYPE_LPM_TRIE}: keys are {@code struct bpf_lpm_trie_key}, a u32 prefix length (host order)
 * followed by {@code key_size - 4} bytes of data in network order; {@code max_prefixlen = 8 * (key_size - 4)}.
 *
 * <p>Semantics: update and delete match exactly (prefix length and the data's first prefixlen bits; the bits
 * beyond are ignored, and get-next-key returns the data as last given). Lookup returns the value of the longest
 * stored prefix that matches the key's data within the key's own prefix length (programs pass
 * {@code max_prefixlen}). Prefix length beyond {@code max_prefixlen}: {@code EINVAL} for update and delete. A
 * new prefix in a full trie is {@code ENOSPC}, as in the kernel. Flags: {@code BPF_ANY}, {@code BPF_NOEXIST},
 * {@code BPF_EXIST}; others {@code EINVAL}. {@code BPF_F_NO_PREALLOC}, which the kernel requires, is accepted
 * (and so is its absence). Get-next-key follows the kernel's post-order walk of the trie: more specific
 * prefixes before the prefixes that contain them, and of two disjoint prefixes the one whose first differing
 * bit is 0 first; the first key is the leftmost leaf.
 *
 * <p>Implementation: not a trie but one hash table of canonical keys (data masked to the prefix) plus a count
 * of entries per prefix length; a lookup probes the lengths present, longest first (lock-free, as for hash
 * maps; it copies the key into a per-thread buffer). Values sit at stable addresses in a region of
 * {@code max_entries} slots. Writers are serialised by the map's lock.
 */
public final class LpmTrieMap extends BpfMap {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int dataSize;
    private final int maxPrefixLen;
    private final HashTable table;
    private final Region valueRegion;
    private final int[] perLength;
    private final TreeMap<byte[], byte[]> order = new TreeMap<>(LpmTrieMap::postOrder);
    private final ThreadLocal<MemorySegment> scratch;

    LpmTrieMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        if (spec.keySize() <= 4 || spec.keySize() > 4 + 256 || spec.valueSize() <= 0 || spec.maxEntries() <= 0) {
            throw invalid("lpm_trie maps need key_size 5 to 260 (4 + prefix data), value_size and max_entries > 0"
                    + " (got key " + spec.keySize() + ", value " + spec.valueSize() + ", max_entries "
                    + spec.maxEntries() + ")");
        }
        this.dataSize = spec.keySize() - 4;
        this.maxPrefixLen = 8 * dataSize;
        checkSlab(spec, (long) ProgramMemory.roundUp8(spec.valueSize()) * spec.maxEntries());
        this.table = new HashTable(spec.keySize(), spec.valueSize(), spec.maxEntries(), 1, false,
                Hashing.mix(0x6c70_6dL + id));
        this.valueRegion = addRegion("values", table.values, !spec.readOnlyForPrograms());
        this.perLength = new int[maxPrefixLen + 1];
        int size = spec.keySize();
        this.scratch = ThreadLocal.withInitial(() -> Memory.allocate(size));
    }

    /** The longest prefix length keys of this trie can have. */
    public int maxPrefixLength() {
        return maxPrefixLen;
    }

    // The data's bits from `from` on (MSB first) cleared, in a key laid out at seg[0].
    private void maskFrom(MemorySegment seg, int from) {
        int byteAt = from >>> 3;
        if ((from & 7) != 0) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, 4 + byteAt);
            seg.set(ValueLayout.JAVA_BYTE, 4 + byteAt, (byte) (b & (0xff << (8 - (from & 7)))));
            byteAt++;
        }
        for (int i = byteAt; i < dataSize; i++) {
            seg.set(ValueLayout.JAVA_BYTE, 4 + i, (byte) 0);
        }
    }

    private static void clearBit(MemorySegment seg, int bit) {
        long at = 4 + (bit >>> 3);
        byte b = seg.get(ValueLayout.JAVA_BYTE, at);
        seg.set(ValueLayout.JAVA_BYTE, at, (byte) (b & ~(0x80 >>> (bit & 7))));
    }

    /** The slot of the longest prefix matching the key at src[off], or NONE. Allocates nothing. */
    private int longestMatch(MemorySegment src, long off) {
        MemorySegment k = scratch.get();
        MemorySegment.copy(src, off, k, 0, spec.keySize());
        long limit = Math.min(k.get(ProgramMemory.LE32, 0) & 0xffff_ffffL, maxPrefixLen);
        int p = (int) limit;
        maskFrom(k, p);
        for (; p >= 0; p--) {
            if (p < limit) {
                clearBit(k, p);
            }
            if ((int) INTS.getAcquire(perLength, p) > 0) {
                k.set(ProgramMemory.LE32, 0, p);
                int slot = table.find(k, 0);
                if (slot >= 0) {
                    return slot;
                }
            }
        }
        return HashTable.NONE;
    }

    private byte[] canonical(byte[] key) {
        byte[] c = key.clone();
        maskFrom(MemorySegment.ofArray(c), (int) u32(c, 0));
        return c;
    }

    /**
     * The kernel's get-next-key order, a post-order walk of the binary trie: of two prefixes where one contains
     * the other, the longer first; otherwise the one with a 0 at the first bit where they differ.
     */
    static int postOrder(byte[] a, byte[] b) {
        long la = u32(a, 0);
        long lb = u32(b, 0);
        long common = Math.min(la, lb);
        for (int bit = 0; bit < common; bit++) {
            int x = (a[4 + (bit >>> 3)] >>> (7 - (bit & 7))) & 1;
            int y = (b[4 + (bit >>> 3)] >>> (7 - (bit & 7))) & 1;
            if (x != y) {
                return x - y;
            }
        }
        return Long.compare(lb, la);
    }

    // ---- program side

    @Override
    public long lookup(Memory mem, long keyAddress, int cpu) {
        MemorySegment k = ProgramMemory.segment(mem, keyAddress, spec.keySize(), false);
        int slot = longestMatch(k, ProgramMemory.offset(mem, keyAddress));
        return slot < 0 ? 0 : valueRegion.address(table.valueOffset(slot, 0));
    }

    @Override
    public long update(Memory mem, long keyAddress, long valueAddress, long flags, int cpu) {
        if (spec.readOnlyForPrograms()) {
            return -Errno.EINVAL;
        }
        byte[] key = new byte[spec.keySize()];
        MemorySegment.copy(ProgramMemory.segment(mem, keyAddress, key.length, false), ValueLayout.JAVA_BYTE,
                ProgramMemory.offset(mem, keyAddress), key, 0, key.length);
        MemorySegment v = ProgramMemory.segment(mem, valueAddress, spec.valueSize(), false);
        return doUpdate(key, v, ProgramMemory.offset(mem, valueAddress), flags);
    }

    private long doUpdate(byte[] key, MemorySegment value, long valueOffset, long flags) {
        if (Long.compareUnsigned(flags, EXIST) > 0) {
            return -Errno.EINVAL;
        }
        long len = u32(key, 0);
        if (len > maxPrefixLen) {
            return -Errno.EINVAL;
        }
        byte[] c = canonical(key);
        synchronized (this) {
            long r = table.update(MemorySegment.ofArray(c), 0, value, valueOffset, HashTable.COPY_ONE, 0, flags);
            if (r == -Errno.E2BIG) {
                return -Errno.ENOSPC;
            }
            if (r < 0) {
                return r;
            }
            if ((r & HashTable.INSERTED) != 0) {
                INTS.setRelease(perLength, (int) len, perLength[(int) len] + 1);
            }
            order.put(c, key.clone());
            return 0;
        }
    }

    @Override
    public long delete(Memory mem, long keyAddress) {
        if (spec.readOnlyForPrograms()) {
            return -Errno.EINVAL;
        }
        byte[] key = new byte[spec.keySize()];
        MemorySegment.copy(ProgramMemory.segment(mem, keyAddress, key.length, false), ValueLayout.JAVA_BYTE,
                ProgramMemory.offset(mem, keyAddress), key, 0, key.length);
        return doDelete(key);
    }

    private long doDelete(byte[] key) {
        long len = u32(key, 0);
        if (len > maxPrefixLen) {
            return -Errno.EINVAL;
        }
        byte[] c = canonical(key);
        synchronized (this) {
            long r = table.delete(MemorySegment.ofArray(c), 0);
            if (r == 0) {
                INTS.setRelease(perLength, (int) len, perLength[(int) len] - 1);
                order.remove(c);
            }
            return r;
        }
    }

    // ---- control plane

    /** Longest-prefix lookup, as {@code BPF_MAP_LOOKUP_ELEM} on a trie does. */
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        synchronized (this) {
            int slot = longestMatch(MemorySegment.ofArray(key), 0);
            if (slot < 0) {
                return Optional.empty();
            }
            byte[] out = new byte[spec.valueSize()];
            MemorySegment.copy(table.values, ValueLayout.JAVA_BYTE, table.valueOffset(slot, 0), out, 0, out.length);
            return Optional.of(out);
        }
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        checkValue("update", value, spec.valueSize());
        long r = doUpdate(key, MemorySegment.ofArray(value), 0, flags);
        if (r == -Errno.EINVAL && u32(key, 0) > maxPrefixLen) {
            throw new MapException("update", Errno.EINVAL, "prefix length " + u32(key, 0) + " beyond " + maxPrefixLen);
        }
        if (r == -Errno.ENOSPC) {
            throw new MapException("update", Errno.ENOSPC, "trie is full (max_entries " + spec.maxEntries() + ")");
        }
        MapException.check("update", r);
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        MapException.check("delete", doDelete(key));
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        if (key != null) {
            checkKey("get_next_key", key);
        }
        synchronized (this) {
            if (order.isEmpty()) {
                return Optional.empty();
            }
            if (key == null || u32(key, 0) > maxPrefixLen) {
                return Optional.of(order.firstEntry().getValue().clone());
            }
            byte[] c = canonical(key);
            if (!order.containsKey(c)) {
                return Optional.of(order.firstEntry().getValue().clone());
            }
            Map.Entry<byte[], byte[]> next = order.higherEntry(c);
            return next == null ? Optional.empty() : Optional.of(next.getValue().clone());
        }
    }

    @Override
    public List<byte[]> keys() {
        synchronized (this) {
            List<byte[]> out = new ArrayList<>(order.size());
            for (byte[] k : order.values()) {
                out.add(k.clone());
            }
            return out;
        }
    }

    @Override
    public int size() {
        return table.size();
    }

    /** Orders keys as get-next-key does, for callers that sort prefixes themselves. */
    public static Comparator<byte[]> keyOrder() {
        return LpmTrieMap::postOrder;
    }

    String checkInvariants() {
        String t = table.checkInvariants();
        if (t != null) {
            return t;
        }
        synchronized (this) {
            int sum = Arrays.stream(perLength).sum();
            return sum == table.size() && order.size() == sum ? null
                    : "per-length counts " + sum + ", order " + order.size() + ", table " + table.size();
        }
    }
}
