package org.bpf4j.runtime.helpers;

import org.bpf4j.core.object.MapType;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.maps.MapRegistry;
import org.bpf4j.runtime.maps.PerfEventArrayMap;
import org.bpf4j.runtime.maps.ProgArrayMap;
import org.bpf4j.runtime.maps.RedirectMap;
import org.bpf4j.runtime.maps.RingBufMap;
import org.bpf4j.runtime.memory.Memory;

/** The helpers that work on maps, with the kernel's numbers and semantics, and BPFabric's three-argument lookup. */
public final class MapHelpers {
    private MapHelpers() {}

    public static final int MAP_LOOKUP_ELEM = 1, MAP_UPDATE_ELEM = 2, MAP_DELETE_ELEM = 3, TAIL_CALL = 12,
            PERF_EVENT_OUTPUT = 25, REDIRECT_MAP = 51, MAP_PUSH_ELEM = 87, MAP_POP_ELEM = 88, MAP_PEEK_ELEM = 89,
            RINGBUF_OUTPUT = 130, RINGBUF_RESERVE = 131, RINGBUF_SUBMIT = 132, RINGBUF_DISCARD = 133,
            RINGBUF_QUERY = 134, FOR_EACH_MAP_ELEM = 164;
    /** BPFabric's helpers beyond the map ones. */
    public static final int FABRIC_MIRROR = 30, FABRIC_NOTIFY = 31, FABRIC_DEBUG = 32;

    /** Registers the map helpers of a program type, resolving map handles through the registry. */
    public static void register(HelperTable t, ProgramType type, MapRegistry maps) {
        if (type == ProgramType.BPFABRIC) {
            registerFabric(t, maps);
            return;
        }
        t.register(MAP_LOOKUP_ELEM, "bpf_map_lookup_elem",
                (c, map, key, d, e, f) -> map(maps, map).lookup(c.memory(), key, cpu(c)));
        t.register(MAP_UPDATE_ELEM, "bpf_map_update_elem",
                (c, map, key, value, flags, f) -> map(maps, map).update(c.memory(), key, value, flags, cpu(c)));
        t.register(MAP_DELETE_ELEM, "bpf_map_delete_elem", (c, map, key, d, e, f) -> map(maps, map).delete(c.memory(), key));
        t.register(MAP_PUSH_ELEM, "bpf_map_push_elem",
                (c, map, value, flags, e, f) -> map(maps, map).push(c.memory(), value, flags));
        t.register(MAP_POP_ELEM, "bpf_map_pop_elem", (c, map, value, d, e, f) -> map(maps, map).pop(c.memory(), value));
        t.register(MAP_PEEK_ELEM, "bpf_map_peek_elem", (c, map, value, d, e, f) -> map(maps, map).peek(c.memory(), value));
        t.register(TAIL_CALL, "bpf_tail_call", (c, ctx, map, index, e, f) -> tailCall(c, maps, map, index));
        t.register(PERF_EVENT_OUTPUT, "bpf_perf_event_output", (c, ctx, map, flags, data, size) -> {
            if (!(map(maps, map) instanceof PerfEventArrayMap p)) {
                return -Errno.EINVAL;
            }
            // bpf_xdp_event_output, bpf_skb_event_output: the packet bytes to append (BPF_F_CTXLEN_MASK) may not
            // exceed the frame. (They are not appended here: the map takes one block of program memory.)
            long ctxLen = (flags & PerfEventArrayMap.CTXLEN_MASK) >>> 32;
            if ((flags & ~(PerfEventArrayMap.INDEX_MASK | PerfEventArrayMap.CTXLEN_MASK)) == 0 && ctxLen != 0
                    && c.attachment() instanceof PacketState s && ctxLen > s.buffer.length()) {
                return -Errno.EFAULT;
            }
            return p.output(c.memory(), flags, data, size, cpu(c));
        });
        t.register(RINGBUF_OUTPUT, "bpf_ringbuf_output",
                (c, map, data, size, flags, f) -> ring(maps, map).output(c.memory(), data, size, flags));
        t.register(RINGBUF_RESERVE, "bpf_ringbuf_reserve", (c, map, size, flags, e, f) -> ring(maps, map).reserve(size, flags));
        t.register(RINGBUF_SUBMIT, "bpf_ringbuf_submit", (c, data, flags, d, e, f) -> {
            ringOf(maps, data).submit(data, flags);
            return 0;
        });
        t.register(RINGBUF_DISCARD, "bpf_ringbuf_discard", (c, data, flags, d, e, f) -> {
            ringOf(maps, data).discard(data, flags);
            return 0;
        });
        // flags the kernel does not know read 0, even those whose low 32 bits it would
        t.register(RINGBUF_QUERY, "bpf_ringbuf_query", (c, map, flags, d, e, f) ->
                flags >= RingBufMap.AVAIL_DATA && flags <= RingBufMap.PROD_POS ? ring(maps, map).query(flags) : 0);
        t.register(FOR_EACH_MAP_ELEM, "bpf_for_each_map_elem", (c, map, callback, ctx, flags, f) -> {
            if (flags != 0) {
                return -Errno.EINVAL;
            }
            BpfMap m = map(maps, map);
            return m.forEach(c.memory(), cpu(c), (k, v) -> c.callFunction(callback, map, k, v, ctx, 0));
        });
        if (type == ProgramType.XDP) {
            t.register(REDIRECT_MAP, "bpf_redirect_map", (c, map, key, flags, e, f) -> redirectMap(c, maps, map, key, flags));
        }
    }

    /** XDP_ABORTED to XDP_TX: the low flag bits, what a failed lookup returns. */
    static final long ACTION_MASK = 3;
    /** BPF_F_BROADCAST, BPF_F_EXCLUDE_INGRESS: devmap flags. */
    static final long BPF_F_BROADCAST = 1 << 3, BPF_F_EXCLUDE_INGRESS = 1 << 4;

    // __bpf_xdp_redirect_map (net/core/filter.c, include/linux/filter.h): the key is a u32; devmaps also take
    // BROADCAST and EXCLUDE_INGRESS; a failed lookup clears the redirect state ("the last one always takes
    // precedence") and returns the low flag bits; a broadcast redirects even then.
    private static long redirectMap(HelperContext c, MapRegistry maps, long map, long key, long flags) {
        if (!(map(maps, map) instanceof RedirectMap r)) {
            return XdpAction.ABORTED.ordinal();
        }
        boolean devmap = r.type() == MapType.DEVMAP || r.type() == MapType.DEVMAP_HASH;
        long allowed = ACTION_MASK | (devmap ? BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS : 0);
        if ((flags & ~allowed) != 0) {
            return XdpAction.ABORTED.ordinal();
        }
        PacketState s = PacketHelpers.state(c);
        long index = key & 0xffff_ffffL;
        long target = r.redirectTarget(index);
        boolean broadcast = (flags & BPF_F_BROADCAST) != 0;
        if (target < 0 && !broadcast) {
            s.clearRedirect();
            return flags & ACTION_MASK;
        }
        // a broadcast goes to every interface of the map: there is no one target
        s.redirect(broadcast ? -1 : (int) target, broadcast ? flags : 0);
        s.redirectMapKey = index;
        s.redirectMapHandle = map;
        return XdpAction.REDIRECT.ordinal();
    }

    private static void registerFabric(HelperTable t, MapRegistry maps) {
        // BPFabric's lookup writes the value's address through its third argument and returns 0, or -1
        t.register(MAP_LOOKUP_ELEM, "bpf_map_lookup_elem", (c, map, key, out, e, f) -> {
            long value = map(maps, map).lookup(c.memory(), key, cpu(c));
            if (value == 0) {
                return -1;
            }
            c.memory().store64(out, value);
            return 0;
        });
        t.register(MAP_UPDATE_ELEM, "bpf_map_update_elem",
                (c, map, key, value, flags, f) -> map(maps, map).update(c.memory(), key, value, flags, cpu(c)));
        t.register(MAP_DELETE_ELEM, "bpf_map_delete_elem", (c, map, key, d, e, f) -> map(maps, map).delete(c.memory(), key));
        t.register(FABRIC_MIRROR, "bpf_mirror", (c, port, buf, len, e, f) -> {
            PacketState s = PacketHelpers.state(c);
            if (len < 0 || len > 0xffff) {
                return -Errno.EINVAL;
            }
            byte[] copy = new byte[(int) len];
            c.memory().read(buf, copy, 0, copy.length);
            s.services.fabric().mirror(s.cpu, (int) port, copy);
            return 0;
        });
        t.register(FABRIC_NOTIFY, "bpf_notify", (c, id, data, len, e, f) -> {
            PacketState s = PacketHelpers.state(c);
            if (len < 0 || len > 0xffff) {
                return -Errno.EINVAL;
            }
            byte[] copy = new byte[(int) len];
            c.memory().read(data, copy, 0, copy.length);
            s.services.fabric().notify(s.cpu, (int) id, copy);
            return 0;
        });
        t.register(FABRIC_DEBUG, "bpf_debug", (c, arg, b, d, e, f) -> {
            PacketState s = PacketHelpers.state(c);
            // the older header passes a string, the newer a number: print the string when the argument points to
            // one. Strings live in the stack or in a map (.rodata); the low region (the packet, from 0x1000) holds
            // none, and counting it would take small numbers such as 0x1234 for pointers.
            var region = c.memory().regionOf(arg);
            String text = region != null && region.id() != Memory.LOW_REGION ? TraceFormat.string(c.memory(), arg)
                    : "0x" + Long.toHexString(arg);
            s.services.trace().write("[cpu " + s.cpu + "] debug: " + text);
            return 0;
        });
    }

    private static int cpu(HelperContext c) {
        return c.attachment() instanceof PacketState s ? s.cpu : 0;
    }

    static BpfMap map(MapRegistry maps, long handle) {
        BpfMap m = maps.byHandle(handle);
        if (m == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(handle) + " is no map");
        }
        return m;
    }

    private static RingBufMap ring(MapRegistry maps, long handle) {
        if (!(map(maps, handle) instanceof RingBufMap r)) {
            throw new IllegalArgumentException("map " + map(maps, handle).name() + " is no ring buffer");
        }
        return r;
    }

    // submit and discard get only the record: find the ring whose region holds it
    private static RingBufMap ringOf(MapRegistry maps, long record) {
        if (!(maps.byAddress(record) instanceof RingBufMap r)) {
            throw new IllegalArgumentException("0x" + Long.toHexString(record) + " is no ring buffer record");
        }
        return r;
    }

    // bpf_tail_call(ctx, prog_array, index): on success the program does not return; the runner starts the target
    private static long tailCall(HelperContext c, MapRegistry maps, long map, long index) {
        PacketState s = PacketHelpers.state(c);
        if (!(map(maps, map) instanceof ProgArrayMap p)) {
            return -Errno.EINVAL;
        }
        long slot = index & 0xffff_ffffL; // u32 index, as the kernel's tail call takes R3
        if (slot >= p.maxEntries() || s.tailCalls >= PacketState.MAX_TAIL_CALLS) {
            return -Errno.ENOENT;
        }
        int target = p.program(slot);
        if (target == ProgArrayMap.EMPTY) {
            return -Errno.ENOENT;
        }
        s.tailCalls++;
        s.tailCallTarget = target;
        c.exit(0);
        return 0;
    }
}
