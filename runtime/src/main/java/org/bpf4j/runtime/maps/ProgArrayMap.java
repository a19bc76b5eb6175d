package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bpf4j.core.object.MapSpec;

/**
 * {@code BPF_MAP_TYPE_PROG_ARRAY}, the table of {@code bpf_tail_call}. Values are program references; here the
 * loader's program indexes (u32), where the kernel takes a program fd on update and returns the program's id on
 * lookup. The tail-call helper asks {@link #program(long)}.
 *
 * <p>Semantics (the kernel's fd arrays): keys are u32 indexes below max_entries; update flags must be
 * {@code BPF_ANY} ({@code EINVAL} otherwise) and an index beyond is {@code E2BIG}; lookup and delete of an empty
 * slot are {@code ENOENT}; get-next-key walks every index, empty or not (bpftool's dump leaves out the empty
 * ones). Programs cannot look up or update a program array ({@link #lookup(org.bpf4j.runtime.memory.Memory,
 * long, int)} returns 0).
 */
public final class ProgArrayMap extends BpfMap {
    /** An empty slot. */
    public static final int EMPTY = -1;

    private final AtomicIntegerArray programs;

    ProgArrayMap(MapRegistry registry, MapSpec spec, int id) {
        super(registry, spec, id);
        if (spec.keySize() != 4 || spec.valueSize() != 4 || spec.maxEntries() <= 0) {
            throw invalid("prog_array maps need key_size 4, value_size 4 and max_entries > 0");
        }
        programs = new AtomicIntegerArray(spec.maxEntries());
        for (int i = 0; i < spec.maxEntries(); i++) {
            programs.set(i, EMPTY);
        }
    }

    /** The program at an index (as {@code bpf_tail_call} passes it, a u32), or {@link #EMPTY}. */
    public int program(long index) {
        return index < 0 || index >= spec.maxEntries() ? EMPTY : programs.get((int) index);
    }

    /** Puts a program (a loader's index, >= 0) at an index. */
    public void set(int index, int program) {
        update(u32Bytes(index), u32Bytes(program), ANY);
    }

    /** Empties a slot; false when it was empty. */
    public boolean clear(int index) {
        if (index < 0 || index >= spec.maxEntries()) {
            throw new MapException("delete", Errno.E2BIG, "index " + index + " out of range");
        }
        return programs.getAndSet(index, EMPTY) != EMPTY;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey("lookup", key);
        int p = program(u32(key, 0));
        return p == EMPTY ? Optional.empty() : Optional.of(u32Bytes(p));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        checkValue("update", value, 4);
        if (flags != ANY) {
            throw new MapException("update", Errno.EINVAL, "program arrays take only BPF_ANY");
        }
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("update", Errno.E2BIG, "index " + i + " out of range (max_entries "
                    + spec.maxEntries() + ")");
        }
        long p = u32(value, 0);
        if (p > Integer.MAX_VALUE) {
            throw new MapException("update", Errno.EINVAL, "no program " + p);
        }
        programs.set((int) i, (int) p);
    }

    @Override
    public void delete(byte[] key) {
        checkKey("delete", key);
        long i = u32(key, 0);
        if (i >= spec.maxEntries()) {
            throw new MapException("delete", Errno.E2BIG, "index " + i + " out of range");
        }
        if (programs.getAndSet((int) i, EMPTY) == EMPTY) {
            throw MapException.of("delete", Errno.ENOENT);
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        return nextIndex(key);
    }

    @Override
    public int size() {
        int n = 0;
        for (int i = 0; i < spec.maxEntries(); i++) {
            n += programs.get(i) == EMPTY ? 0 : 1;
        }
        return n;
    }

    @Override
    boolean skipsMissingInDump() {
        return true;
    }
}
