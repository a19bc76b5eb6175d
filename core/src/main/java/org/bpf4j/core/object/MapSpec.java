package org.bpf4j.core.object;

import java.util.Map;
import java.util.Objects;

/**
 * A map as an object declares it, before any backend creates it.
 *
 * @param name           the map's name (its symbol; {@code .data}, {@code .rodata}, {@code .bss} for global data)
 * @param type           the map type
 * @param keySize        key size in bytes
 * @param valueSize      value size in bytes
 * @param maxEntries     capacity
 * @param flags          {@code BPF_F_*} map flags (e.g. {@code BPF_F_NO_PREALLOC = 1}, {@code BPF_F_RDONLY_PROG = 0x80})
 * @param pinning        whether a loader pins it by name
 * @param innerMap       the template of inner maps for array_of_maps and hash_of_maps, else null
 * @param initialData    for global data maps, the section's bytes (the single value), else null
 * @param initialPrograms for program arrays, slot to program name, as the object initialises them
 * @param btfKeyTypeId   BTF type of the key, 0 when unknown
 * @param btfValueTypeId BTF type of the value, 0 when unknown
 * @param kind           where the map came from
 * @param initialMaps    for map-in-maps (array_of_maps, hash_of_maps), slot to the name of the map in
 *                       {@link BpfObject#maps()} the object puts there ({@code .values = { [1] = &inner }})
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
        Pinning pinning, MapSpec innerMap, byte[] initialData, Map<Integer, String> initialPrograms,
        int btfKeyTypeId, int btfValueTypeId, Kind kind, Map<Integer, String> initialMaps) {

    /** {@code BPF_F_RDONLY_PROG}: programs may not write (.rodata). */
    public static final int F_RDONLY_PROG = 0x80;
    /** {@code BPF_F_NO_PREALLOC}. */
    public static final int F_NO_PREALLOC = 0x1;

    public enum Pinning { NONE, BY_NAME }

    /** Where a map came from in the object. */
    public enum Kind { BTF_DEFINED, LEGACY, DATA, RODATA, BSS, KCONFIG }

    public MapSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(pinning);
        Objects.requireNonNull(kind);
        initialPrograms = initialPrograms == null ? Map.of() : Map.copyOf(initialPrograms);
        initialMaps = initialMaps == null ? Map.of() : Map.copyOf(initialMaps);
    }

    /** A map without initial inner maps (the form before {@code initialMaps} was added). */
    public MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags, Pinning pinning,
            MapSpec innerMap, byte[] initialData, Map<Integer, String> initialPrograms, int btfKeyTypeId,
            int btfValueTypeId, Kind kind) {
        this(name, type, keySize, valueSize, maxEntries, flags, pinning, innerMap, initialData, initialPrograms,
                btfKeyTypeId, btfValueTypeId, kind, Map.of());
    }

    /** A plain map with no BTF, no pinning and no initial contents. */
    public static MapSpec of(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0, Pinning.NONE, null, null, Map.of(), 0, 0,
                Kind.LEGACY);
    }

    /** True when programs may only read it (the kernel's {@code BPF_F_RDONLY_PROG}). */
    public boolean readOnlyForPrograms() {
        return (flags & F_RDONLY_PROG) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapSpec m && name.equals(m.name) && type == m.type && keySize == m.keySize
                && valueSize == m.valueSize && maxEntries == m.maxEntries && flags == m.flags && pinning == m.pinning
                && Objects.equals(innerMap, m.innerMap) && java.util.Arrays.equals(initialData, m.initialData)
                && initialPrograms.equals(m.initialPrograms) && btfKeyTypeId == m.btfKeyTypeId
                && btfValueTypeId == m.btfValueTypeId && kind == m.kind && initialMaps.equals(m.initialMaps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, keySize, valueSize, maxEntries, flags);
    }
}
