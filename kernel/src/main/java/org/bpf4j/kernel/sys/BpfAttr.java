package org.bpf4j.kernel.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of {@code union bpf_attr} that bpf4j uses, one {@link StructLayout} per command, laid out as
 * {@code include/uapi/linux/bpf.h} declares them ({@code __aligned_u64} pointers, 16-byte names, anonymous unions
 * as {@link MemoryLayout#unionLayout}). {@link StructLayout} checks every member's alignment, so a wrong offset does
 * not compile into a layout. A layout ends at the last member bpf4j knows; the kernel accepts a shorter or longer
 * {@code size} as long as bytes it does not know are zero, and {@link #allocate} zeroes everything.
 *
 * <p>Use: {@code BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_CREATE).u32("map_type", 2)...}, then
 * {@link Bpf#call}.
 */
public final class BpfAttr {
    /** {@code BPF_OBJ_NAME_LEN}. */
    public static final int OBJ_NAME_LEN = 16;

    private static ValueLayout u32Field(String name) {
        return JAVA_INT.withName(name);
    }

    private static ValueLayout u64Field(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout nameField(String name) {
        return MemoryLayout.sequenceLayout(OBJ_NAME_LEN, ValueLayout.JAVA_BYTE).withName(name);
    }

    private static MemoryLayout pad(long bytes) {
        return MemoryLayout.paddingLayout(bytes);
    }

    /** {@code BPF_MAP_CREATE} (72 bytes, through {@code map_extra}). */
    public static final StructLayout MAP_CREATE = MemoryLayout.structLayout(u32Field("map_type"), u32Field("key_size"),
            u32Field("value_size"), u32Field("max_entries"), u32Field("map_flags"), u32Field("inner_map_fd"), u32Field("numa_node"),
            nameField("map_name"), u32Field("map_ifindex"), u32Field("btf_fd"), u32Field("btf_key_type_id"), u32Field("btf_value_type_id"),
            u32Field("btf_vmlinux_value_type_id"), u64Field("map_extra")).withName("map_create");

    /** {@code BPF_MAP_*_ELEM} and {@code BPF_MAP_GET_NEXT_KEY}, {@code BPF_MAP_FREEZE} (32 bytes). */
    public static final StructLayout MAP_ELEM = MemoryLayout.structLayout(u32Field("map_fd"), pad(4), u64Field("key"),
            MemoryLayout.unionLayout(u64Field("value"), u64Field("next_key")), u64Field("flags")).withName("map_elem");

    /** {@code BPF_MAP_*_BATCH} (56 bytes). */
    public static final StructLayout MAP_BATCH = MemoryLayout.structLayout(u64Field("in_batch"), u64Field("out_batch"),
            u64Field("keys"), u64Field("values"), u32Field("count"), u32Field("map_fd"), u64Field("elem_flags"), u64Field("flags"))
            .withName("batch");

    /** {@code BPF_PROG_LOAD} (152 bytes, through {@code fd_array_cnt}). */
    public static final StructLayout PROG_LOAD = MemoryLayout.structLayout(u32Field("prog_type"), u32Field("insn_cnt"),
            u64Field("insns"), u64Field("license"), u32Field("log_level"), u32Field("log_size"), u64Field("log_buf"), u32Field("kern_version"),
            u32Field("prog_flags"), nameField("prog_name"), u32Field("prog_ifindex"), u32Field("expected_attach_type"),
            u32Field("prog_btf_fd"), u32Field("func_info_rec_size"), u64Field("func_info"), u32Field("func_info_cnt"),
            u32Field("line_info_rec_size"), u64Field("line_info"), u32Field("line_info_cnt"), u32Field("attach_btf_id"),
            MemoryLayout.unionLayout(u32Field("attach_prog_fd"), u32Field("attach_btf_obj_fd")), u32Field("core_relo_cnt"),
            u64Field("fd_array"), u64Field("core_relos"), u32Field("core_relo_rec_size"), u32Field("log_true_size"),
            u32Field("prog_token_fd"), u32Field("fd_array_cnt")).withName("prog_load");

    /** {@code BPF_OBJ_PIN}, {@code BPF_OBJ_GET} (24 bytes). */
    public static final StructLayout OBJ = MemoryLayout.structLayout(u64Field("pathname"), u32Field("bpf_fd"),
            u32Field("file_flags"), u32Field("path_fd"), pad(4)).withName("obj");

    /** {@code BPF_PROG_TEST_RUN} (80 bytes). */
    public static final StructLayout TEST_RUN = MemoryLayout.structLayout(u32Field("prog_fd"), u32Field("retval"),
            u32Field("data_size_in"), u32Field("data_size_out"), u64Field("data_in"), u64Field("data_out"), u32Field("repeat"),
            u32Field("duration"), u32Field("ctx_size_in"), u32Field("ctx_size_out"), u64Field("ctx_in"), u64Field("ctx_out"), u32Field("flags"),
            u32Field("cpu"), u32Field("batch_size"), pad(4)).withName("test");

    /** {@code BPF_*_GET_NEXT_ID} and {@code BPF_*_GET_FD_BY_ID} (16 bytes). */
    public static final StructLayout GET_ID = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(u32Field("start_id"), u32Field("prog_id"), u32Field("map_id"), u32Field("btf_id"), u32Field("link_id")),
            u32Field("next_id"), u32Field("open_flags"), pad(4)).withName("get_id");

    /** {@code BPF_OBJ_GET_INFO_BY_FD} (16 bytes). */
    public static final StructLayout INFO = MemoryLayout.structLayout(u32Field("bpf_fd"), u32Field("info_len"), u64Field("info"))
            .withName("info");

    /** {@code BPF_BTF_LOAD} (32 bytes, through {@code btf_log_true_size}). */
    public static final StructLayout BTF_LOAD = MemoryLayout.structLayout(u64Field("btf"), u64Field("btf_log_buf"),
            u32Field("btf_size"), u32Field("btf_log_size"), u32Field("btf_log_level"), u32Field("btf_log_true_size")).withName("btf_load");

    /**
     * {@code BPF_LINK_CREATE} (64 bytes): the common head and, at byte 16, the per-attach-type union, of which the
     * members for {@code tcx} / {@code netkit} ({@code relative_fd} or {@code relative_id},
     * {@code expected_revision}) and for tracing ({@code target_btf_id}) are named; XDP needs none.
     */
    public static final StructLayout LINK_CREATE = MemoryLayout.structLayout(u32Field("prog_fd"),
            MemoryLayout.unionLayout(u32Field("target_fd"), u32Field("target_ifindex")), u32Field("attach_type"), u32Field("flags"),
            MemoryLayout.unionLayout(u32Field("target_btf_id"),
                    MemoryLayout.structLayout(
                            MemoryLayout.unionLayout(u32Field("relative_fd"), u32Field("relative_id")), pad(4),
                            u64Field("expected_revision")).withName("tcx"),
                    pad(48))).withName("link_create");

    /** {@code BPF_LINK_UPDATE} (16 bytes). */
    public static final StructLayout LINK_UPDATE = MemoryLayout.structLayout(u32Field("link_fd"), u32Field("new_prog_fd"),
            u32Field("flags"), u32Field("old_prog_fd")).withName("link_update");

    /** {@code BPF_LINK_DETACH} (8 bytes). */
    public static final StructLayout LINK_DETACH = MemoryLayout.structLayout(u32Field("link_fd"), pad(4))
            .withName("link_detach");

    /** A member: where it is and how big. */
    public record Field(long offset, MemoryLayout layout) {}

    private static final Map<StructLayout, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();

    /** Every named scalar or name member of a layout, unions and nested structs flattened. */
    public static Map<String, Field> fields(StructLayout layout) {
        return FIELDS.computeIfAbsent(layout, l -> {
            Map<String, Field> out = new HashMap<>();
            collect(l, 0, out);
            return Map.copyOf(out);
        });
    }

    private static void collect(GroupLayout group, long base, Map<String, Field> out) {
        long at = base;
        boolean union = group instanceof java.lang.foreign.UnionLayout;
        for (MemoryLayout m : group.memberLayouts()) {
            long offset = union ? base : at;
            if (m instanceof GroupLayout g) {
                collect(g, offset, out);
            } else if (m.name().isPresent()) {
                out.put(m.name().get(), new Field(offset, m));
            }
            if (!union) {
                at += m.byteSize();
            }
        }
    }

    /** The byte offset of a member, e.g. {@code offset(PROG_LOAD, "log_true_size")} is 140. */
    public static long offset(StructLayout layout, String field) {
        return field(layout, field).offset();
    }

    private static Field field(StructLayout layout, String field) {
        Field f = fields(layout).get(field);
        if (f == null) {
            throw new IllegalArgumentException(layout.name().orElse("attr") + " has no member " + field);
        }
        return f;
    }

    private final StructLayout layout;
    private final MemorySegment segment;

    private BpfAttr(StructLayout layout, MemorySegment segment) {
        this.layout = layout;
        this.segment = segment;
    }

    /** A zeroed attribute block for one command, in {@code arena}. */
    public static BpfAttr allocate(Arena arena, StructLayout layout) {
        return new BpfAttr(layout, arena.allocate(layout));
    }

    public StructLayout layout() {
        return layout;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** What {@code bpf(2)} gets as its size argument. */
    public int size() {
        return (int) layout.byteSize();
    }

    /** Sets a 32-bit member (the low 32 bits of {@code value}). */
    public BpfAttr u32(String field, long value) {
        Field f = field(layout, field);
        check(f, 4, field);
        segment.set(JAVA_INT, f.offset(), (int) value);
        return this;
    }

    /** Sets a 64-bit member. */
    public BpfAttr u64(String field, long value) {
        Field f = field(layout, field);
        check(f, 8, field);
        segment.set(JAVA_LONG, f.offset(), value);
        return this;
    }

    /** Sets a pointer member ({@code __aligned_u64}) to a segment's address, or 0 for null / NULL. */
    public BpfAttr ptr(String field, MemorySegment target) {
        return u64(field, target == null ? 0 : target.address());
    }

    /** Sets a {@code char[16]} name member; the caller has already made the name one the kernel accepts. */
    public BpfAttr name(String field, String name) {
        Field f = field(layout, field);
        check(f, OBJ_NAME_LEN, field);
        byte[] b = Objects.requireNonNull(name).getBytes(StandardCharsets.US_ASCII);
        if (b.length >= OBJ_NAME_LEN) {
            throw new IllegalArgumentException(field + " '" + name + "' is longer than " + (OBJ_NAME_LEN - 1));
        }
        MemorySegment.copy(b, 0, segment, ValueLayout.JAVA_BYTE, f.offset(), b.length);
        return this;
    }

    /** Reads a 32-bit member as unsigned. */
    public long u32(String field) {
        Field f = field(layout, field);
        check(f, 4, field);
        return Integer.toUnsignedLong(segment.get(JAVA_INT, f.offset()));
    }

    /** Reads a 64-bit member. */
    public long u64(String field) {
        Field f = field(layout, field);
        check(f, 8, field);
        return segment.get(JAVA_LONG, f.offset());
    }

    private void check(Field f, long size, String field) {
        if (f.layout().byteSize() != size) {
            throw new IllegalArgumentException(layout.name().orElse("attr") + "." + field + " is "
                    + f.layout().byteSize() + " bytes, not " + size);
        }
    }

    @Override
    public String toString() {
        return "bpf_attr." + layout.name().orElse("?") + " (" + size() + " bytes)";
    }
}
