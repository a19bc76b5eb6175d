package org.bpf4j.kernel.sys;

/**
 * A {@code BPF_MAP_CREATE} request.
 *
 * @param type           {@code enum bpf_map_type}
 * @param keySize        key size in bytes
 * @param valueSize      value size in bytes
 * @param maxEntries     capacity
 * @param flags          {@code BPF_F_*} map flags
 * @param innerMapFd     for map-in-maps, a map like the inner ones; -1 otherwise
 * @param name           the name the kernel stores ({@link Names#objectName})
 * @param btfFd          BTF describing key and value, -1 for none
 * @param btfKeyTypeId   the key's BTF type (0 with none, or for global data)
 * @param btfValueTypeId the value's BTF type
 * @param mapExtra       {@code map_extra}
 */
public record MapCreate(int type, int keySize, int valueSize, int maxEntries, int flags, int innerMapFd, String name,
        int btfFd, int btfKeyTypeId, int btfValueTypeId, long mapExtra) {

    public MapCreate {
        name = name == null ? "" : name;
    }

    /** A map without BTF, name or inner map. */
    public static MapCreate of(int type, int keySize, int valueSize, int maxEntries, int flags) {
        return new MapCreate(type, keySize, valueSize, maxEntries, flags, -1, "", -1, 0, 0, 0);
    }

    public MapCreate withName(String n) {
        return new MapCreate(type, keySize, valueSize, maxEntries, flags, innerMapFd, n, btfFd, btfKeyTypeId,
                btfValueTypeId, mapExtra);
    }

    public MapCreate withInnerMap(int fd) {
        return new MapCreate(type, keySize, valueSize, maxEntries, flags, fd, name, btfFd, btfKeyTypeId,
                btfValueTypeId, mapExtra);
    }

    public MapCreate withBtf(int fd, int keyTypeId, int valueTypeId) {
        return new MapCreate(type, keySize, valueSize, maxEntries, flags, innerMapFd, name, fd, keyTypeId,
                valueTypeId, mapExtra);
    }

    public MapCreate withoutBtf() {
        return withBtf(-1, 0, 0);
    }

    public boolean hasBtf() {
        return btfFd >= 0;
    }
}
