/**
 * BPF maps with the kernel's semantics for the user-space backend.
 *
 * <p>A {@link org.bpf4j.runtime.maps.MapRegistry} creates maps from {@link org.bpf4j.core.object.MapSpec}s
 * and maps their storage into every packet thread's {@link org.bpf4j.runtime.memory.Memory} at the same region
 * ids, so that value addresses are the same in every thread. Programs name a map by its <em>handle</em>
 * ({@code MapRegistry.HANDLE_REGION << 32 | id}, unmapped, so dereferencing it faults); helpers resolve it with
 * {@link org.bpf4j.runtime.maps.MapRegistry#byHandle} and call the map's program-side methods, which take
 * program addresses and return what the helper returns (an address or 0; 0 or a negative errno).
 *
 * <p>Families ({@link org.bpf4j.runtime.maps.BpfMap} is sealed): {@link org.bpf4j.runtime.maps.ArrayMap}
 * (array, percpu_array, global data), {@link org.bpf4j.runtime.maps.HashTableMap} (hash, percpu_hash,
 * lru_hash, lru_percpu_hash), {@link org.bpf4j.runtime.maps.LpmTrieMap},
 * {@link org.bpf4j.runtime.maps.ProgArrayMap}, {@link org.bpf4j.runtime.maps.MapOfMaps} (array_of_maps,
 * hash_of_maps), {@link org.bpf4j.runtime.maps.QueueStackMap}, {@link org.bpf4j.runtime.maps.RingBufMap},
 * {@link org.bpf4j.runtime.maps.PerfEventArrayMap}, {@link org.bpf4j.runtime.maps.BloomFilterMap} and
 * {@link org.bpf4j.runtime.maps.RedirectMap} (devmap, devmap_hash, cpumap, xskmap).
 *
 * <p>Storage is preallocated at creation and values never move while their element exists: per-CPU values
 * are kept in one region, each element's CPU copies side by side ({@code round_up(value_size, 8)} apart).
 * Control-plane methods (byte arrays in and out, {@link org.bpf4j.runtime.maps.MapException} with the
 * kernel's errno) mirror {@code bpf(2)}; {@link org.bpf4j.runtime.maps.TypedMap} and
 * {@link org.bpf4j.runtime.maps.Codec} give typed views; {@code dumpJson} prints what
 * {@code bpftool -j map dump} (or {@code -p}) prints without BTF.
 */
package org.bpf4j.runtime.maps;
