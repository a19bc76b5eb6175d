package org.bpf4j.kernel.sys;

import java.util.HexFormat;
import java.util.List;

/**
 * What the kernel tells about a loaded program ({@code struct bpf_prog_info}).
 *
 * @param type            {@code enum bpf_prog_type} (XDP = 6, SCHED_CLS = 3)
 * @param id              the program's id
 * @param tag             the 8-byte tag (a hash of the instructions), as 16 hex digits
 * @param jitedSize       bytes of JITed code (0 when not JITed)
 * @param xlatedSize      bytes of the program as the verifier rewrote it
 * @param loadTimeNanos   when it was loaded, in nanoseconds since boot ({@code CLOCK_BOOTTIME})
 * @param createdByUid    the loader's uid
 * @param mapIds          ids of the maps it uses
 * @param name            its name (at most 15 characters)
 * @param ifindex         the device it is offloaded to, 0 when none
 * @param gplCompatible   whether its license is GPL-compatible
 * @param btfId           id of its BTF, 0 when loaded without
 * @param funcInfoCount   number of func info records it was loaded with
 * @param lineInfoCount   number of line info records it was loaded with
 * @param runTimeNanos    run time, when statistics are enabled
 * @param runCount        runs, when statistics are enabled
 * @param verifiedInsns   instructions the verifier processed
 */
public record ProgInfo(int type, int id, String tag, long jitedSize, long xlatedSize, long loadTimeNanos,
        long createdByUid, List<Integer> mapIds, String name, int ifindex, boolean gplCompatible, int btfId,
        int funcInfoCount, int lineInfoCount, long runTimeNanos, long runCount, long verifiedInsns) {

    public ProgInfo {
        mapIds = List.copyOf(mapIds);
    }

    /** bpftool's name for a program type, e.g. {@code xdp}, {@code sched_cls}. */
    public String typeName() {
        return typeName(type);
    }

    /** bpftool's name for a program type number. */
    public static String typeName(int type) {
        return switch (type) {
            case 0 -> "unspec";
            case 1 -> "socket_filter";
            case 2 -> "kprobe";
            case 3 -> "sched_cls";
            case 4 -> "sched_act";
            case 5 -> "tracepoint";
            case 6 -> "xdp";
            case 7 -> "perf_event";
            case 8 -> "cgroup_skb";
            case 9 -> "cgroup_sock";
            case 10 -> "lwt_in";
            case 11 -> "lwt_out";
            case 12 -> "lwt_xmit";
            case 13 -> "sock_ops";
            case 14 -> "sk_skb";
            case 15 -> "cgroup_device";
            case 16 -> "sk_msg";
            case 17 -> "raw_tracepoint";
            case 18 -> "cgroup_sock_addr";
            case 19 -> "lwt_seg6local";
            case 20 -> "lirc_mode2";
            case 21 -> "sk_reuseport";
            case 22 -> "flow_dissector";
            case 23 -> "cgroup_sysctl";
            case 24 -> "raw_tracepoint_writable";
            case 25 -> "cgroup_sockopt";
            case 26 -> "tracing";
            case 27 -> "struct_ops";
            case 28 -> "ext";
            case 29 -> "lsm";
            case 30 -> "sk_lookup";
            case 31 -> "syscall";
            case 32 -> "netfilter";
            default -> "type " + type;
        };
    }

    static String hexTag(byte[] tag) {
        return HexFormat.of().formatHex(tag);
    }
}
