package org.bpf4j.kernel.sys;

import org.bpf4j.core.object.MapType;

/**
 * What the kernel tells about a map ({@code struct bpf_map_info}).
 *
 * @param type           {@code enum bpf_map_type}
 * @param id             the map's id
 * @param keySize        key size in bytes
 * @param valueSize      value size in bytes
 * @param maxEntries     capacity
 * @param flags          {@code BPF_F_*} creation flags
 * @param name           its name (at most 15 characters)
 * @param ifindex        the device it is offloaded to, 0 when none
 * @param btfId          id of its BTF, 0 when created without
 * @param btfKeyTypeId   BTF type of the key
 * @param btfValueTypeId BTF type of the value
 * @param mapExtra       {@code map_extra} (bloom filter hashes)
 */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name,
        int ifindex, int btfId, int btfKeyTypeId, int btfValueTypeId, long mapExtra) {

    /** The type as bpf4j's enum, or null for a type it does not know. */
    public MapType mapType() {
        return MapType.of(type);
    }

    /** bpftool's name for the type, e.g. {@code percpu_array}. */
    public String typeName() {
        MapType t = mapType();
        return t == null ? "type " + type : t.bpftoolName();
    }

    /** True for maps with one value per possible CPU. */
    public boolean isPerCpu() {
        MapType t = mapType();
        return t == MapType.PERCPU_ARRAY || t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH
                || t == MapType.PERCPU_CGROUP_STORAGE;
    }
}
