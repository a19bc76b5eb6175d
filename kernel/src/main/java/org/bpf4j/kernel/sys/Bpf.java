package org.bpf4j.kernel.sys;

import org.bpf4j.core.api.Errno;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code bpf(2)} commands, one method each, over {@link BpfAttr} layouts. Every call is retried on
 * {@code EAGAIN} and {@code EINTR} (at most {@value #MAX_RETRIES} times), and every failure is a
 * {@link BpfSyscallException} naming the command, the errno and what was being done, except where a method says it
 * turns an errno into an empty result ({@code ENOENT} from lookups and key or id iteration).
 *
 * <p>Memory handed to the kernel lives in a confined arena for the duration of one call; results are copied
 * into Java arrays.
 */
public final class Bpf {
    private Bpf() {}

    /** Retries on EAGAIN / EINTR before giving up. */
    public static final int MAX_RETRIES = 5;
    /** Largest verifier / BTF log buffer: 16 MiB. */
    public static final int MAX_LOG_SIZE = 16 << 20;

    /** {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, {@code BPF_F_LOCK}. */
    public static final long ANY = 0, NOEXIST = 1, EXIST = 2, F_LOCK = 4;

    // ---- the call

    /** Issues a command, retrying on EAGAIN and EINTR; returns the raw result (the errno when it failed). */
    public static Native.Result tryCall(BpfCommand cmd, BpfAttr attr) {
        Native.Result r = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            r = Native.bpf(cmd.number(), attr.segment(), attr.size());
            if (!r.failed() || r.errno() != Errno.EAGAIN && r.errno() != Errno.EINTR) {
                return r;
            }
            if (r.errno() == Errno.EAGAIN && attempt > 0) {
                Thread.onSpinWait();
            }
        }
        return r;
    }

    /** Issues a command; a failure is a {@link BpfSyscallException} naming it and {@code context}. */
    public static long call(BpfCommand cmd, BpfAttr attr, String context) {
        Native.Result r = tryCall(cmd, attr);
        if (r.failed()) {
            throw new BpfSyscallException(cmd, r.errno(), context);
        }
        return r.value();
    }

    private static MemorySegment bytes(Arena arena, byte[] b) {
        if (b == null) {
            return MemorySegment.NULL;
        }
        MemorySegment s = arena.allocate(Math.max(1, b.length), 8);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        return s;
    }

    private static byte[] array(MemorySegment s, long length) {
        return s.asSlice(0, length).toArray(JAVA_BYTE);
    }

    private static String cString(MemorySegment s) {
        long n = 0;
        while (n < s.byteSize() && s.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(array(s, n), StandardCharsets.UTF_8);
    }

    // ---- maps

    /** {@code BPF_MAP_CREATE}. */
    public static Fd mapCreate(MapCreate req) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_CREATE)
                    .u32("map_type", req.type()).u32("key_size", req.keySize()).u32("value_size", req.valueSize())
                    .u32("max_entries", req.maxEntries()).u32("map_flags", req.flags())
                    .u32("inner_map_fd", Math.max(req.innerMapFd(), 0)).name("map_name", Names.objectName(req.name()))
                    .u64("map_extra", req.mapExtra());
            if (req.btfFd() >= 0) {
                a.u32("btf_fd", req.btfFd()).u32("btf_key_type_id", req.btfKeyTypeId())
                        .u32("btf_value_type_id", req.btfValueTypeId());
            }
            String what = "map '" + req.name() + "' (type " + req.type() + ", key " + req.keySize() + "B, value "
                    + req.valueSize() + "B, max_entries " + req.maxEntries() + ", flags 0x"
                    + Integer.toHexString(req.flags()) + (req.btfFd() >= 0 ? ", with BTF" : "") + ")";
            return new Fd((int) call(BpfCommand.BPF_MAP_CREATE, a, what), "map " + req.name());
        }
    }

    /**
     * {@code BPF_MAP_LOOKUP_ELEM}: the value ({@code valueBytes} long; per-CPU maps: every possible CPU's), or empty
     * on {@code ENOENT}. {@code key} is null for queues and stacks (peek).
     */
    public static Optional<byte[]> mapLookup(int mapFd, byte[] key, int valueBytes, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(Math.max(8, valueBytes), 8);
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd).ptr("key", bytes(arena, key))
                    .ptr("value", v).u64("flags", flags);
            Native.Result r = tryCall(BpfCommand.BPF_MAP_LOOKUP_ELEM, a);
            if (r.failed()) {
                if (r.errno() == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw new BpfSyscallException(BpfCommand.BPF_MAP_LOOKUP_ELEM, r.errno(), "map fd " + mapFd);
            }
            return Optional.of(array(v, valueBytes));
        }
    }

    /** {@code BPF_MAP_UPDATE_ELEM} ({@code key} null for queues, stacks and bloom filters). */
    public static void mapUpdate(int mapFd, byte[] key, byte[] value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd).ptr("key", bytes(arena, key))
                    .ptr("value", bytes(arena, value)).u64("flags", flags);
            call(BpfCommand.BPF_MAP_UPDATE_ELEM, a, "map fd " + mapFd);
        }
    }

    /** {@code BPF_MAP_DELETE_ELEM}; {@code ENOENT} (an exception) when the key is absent. */
    public static void mapDelete(int mapFd, byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd).ptr("key", bytes(arena, key));
            call(BpfCommand.BPF_MAP_DELETE_ELEM, a, "map fd " + mapFd);
        }
    }

    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}: the value, or empty on {@code ENOENT} (null key: pop). */
    public static Optional<byte[]> mapLookupAndDelete(int mapFd, byte[] key, int valueBytes, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(Math.max(8, valueBytes), 8);
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd).ptr("key", bytes(arena, key))
                    .ptr("value", v).u64("flags", flags);
            Native.Result r = tryCall(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM, a);
            if (r.failed()) {
                if (r.errno() == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw new BpfSyscallException(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM, r.errno(), "map fd " + mapFd);
            }
            return Optional.of(array(v, valueBytes));
        }
    }

    /**
     * {@code BPF_MAP_GET_NEXT_KEY}: the key after {@code key} (the first key for null or a key not in the map), or
     * empty after the last ({@code ENOENT}).
     */
    public static Optional<byte[]> mapNextKey(int mapFd, byte[] key, int keySize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(Math.max(8, keySize), 8);
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd).ptr("key", bytes(arena, key))
                    .ptr("next_key", next);
            Native.Result r = tryCall(BpfCommand.BPF_MAP_GET_NEXT_KEY, a);
            if (r.failed()) {
                if (r.errno() == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw new BpfSyscallException(BpfCommand.BPF_MAP_GET_NEXT_KEY, r.errno(), "map fd " + mapFd);
            }
            return Optional.of(array(next, keySize));
        }
    }

    /** {@code BPF_MAP_FREEZE}: no more writes from user space. */
    public static void mapFreeze(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_ELEM).u32("map_fd", mapFd);
            call(BpfCommand.BPF_MAP_FREEZE, a, "map fd " + mapFd);
        }
    }

    /**
     * One batch of a batched lookup.
     *
     * @param keys     {@code count} keys, back to back
     * @param values   {@code count} values, back to back (per-CPU maps: every CPU's, per key)
     * @param count    number of elements returned
     * @param outBatch where the next batch starts (pass as the next call's {@code inBatch})
     * @param done     true when the map has no more elements ({@code ENOENT})
     */
    public record Batch(byte[] keys, byte[] values, int count, byte[] outBatch, boolean done) {}

    /**
     * {@code BPF_MAP_LOOKUP_BATCH}, or with {@code delete} {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}: up to
     * {@code max} elements from {@code inBatch} on (null: from the start). {@code batchSize} is the size of the
     * opaque batch token (at least the key size for arrays; 4 for hash maps). {@code ENOENT} ends the iteration
     * and is reported as {@link Batch#done()}; {@code ENOSPC} (a hash bucket larger than {@code max}) is thrown.
     */
    public static Batch mapLookupBatch(int mapFd, boolean delete, byte[] inBatch, int batchSize, int max, int keySize,
            int valueBytes, long elemFlags) {
        BpfCommand cmd = delete ? BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_BATCH : BpfCommand.BPF_MAP_LOOKUP_BATCH;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(Math.max(8, (long) keySize * max), 8);
            MemorySegment values = arena.allocate(Math.max(8, (long) valueBytes * max), 8);
            MemorySegment out = arena.allocate(Math.max(8, batchSize), 8);
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_BATCH).u32("map_fd", mapFd)
                    .ptr("in_batch", inBatch == null ? MemorySegment.NULL : bytes(arena, inBatch)).ptr("out_batch", out)
                    .ptr("keys", keys).ptr("values", values).u32("count", max).u64("elem_flags", elemFlags);
            Native.Result r = tryCall(cmd, a);
            boolean done = false;
            if (r.failed()) {
                if (r.errno() != Errno.ENOENT) {
                    throw new BpfSyscallException(cmd, r.errno(), "map fd " + mapFd + ", batch of " + max);
                }
                done = true;
            }
            int n = (int) a.u32("count");
            return new Batch(array(keys, (long) keySize * n), array(values, (long) valueBytes * n), n,
                    array(out, batchSize), done);
        }
    }

    /**
     * {@code BPF_MAP_UPDATE_BATCH}: {@code count} keys and values, back to back. A failure names how many elements
     * the kernel had updated.
     */
    public static int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_BATCH).u32("map_fd", mapFd).ptr("keys", bytes(arena, keys))
                    .ptr("values", bytes(arena, values)).u32("count", count).u64("elem_flags", elemFlags);
            Native.Result r = tryCall(BpfCommand.BPF_MAP_UPDATE_BATCH, a);
            if (r.failed()) {
                throw new BpfSyscallException(BpfCommand.BPF_MAP_UPDATE_BATCH, r.errno(), "map fd " + mapFd + ", "
                        + a.u32("count") + " of " + count + " elements updated");
            }
            return (int) a.u32("count");
        }
    }

    /** {@code BPF_MAP_DELETE_BATCH}: {@code count} keys back to back; a missing key fails with ENOENT. */
    public static int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_BATCH).u32("map_fd", mapFd).ptr("keys", bytes(arena, keys))
                    .u32("count", count).u64("elem_flags", elemFlags);
            Native.Result r = tryCall(BpfCommand.BPF_MAP_DELETE_BATCH, a);
            if (r.failed()) {
                throw new BpfSyscallException(BpfCommand.BPF_MAP_DELETE_BATCH, r.errno(), "map fd " + mapFd + ", "
                        + a.u32("count") + " of " + count + " elements deleted");
            }
            return (int) a.u32("count");
        }
    }

    // ---- programs and BTF

    /**
     * {@code BPF_PROG_LOAD} with the verifier's log. The first attempt uses {@link ProgLoad#logSize()}; when the
     * log does not fit ({@code ENOSPC}) it is retried with the size the kernel reports in {@code log_true_size}
     * (Linux 6.4 and later), else with four times the buffer, up to {@value #MAX_LOG_SIZE} bytes. A failure is a
     * {@link BpfSyscallException} whose {@link BpfSyscallException#log()} is the verifier log; its message ends with
     * the log's last line.
     */
    public static ProgLoad.Result progLoad(ProgLoad req) {
        int size = req.logLevel() == 0 ? 0 : Math.max(128, Math.min(req.logSize(), MAX_LOG_SIZE));
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment insns = arena.allocate(JAVA_LONG, Math.max(1, req.insns().length));
                MemorySegment.copy(req.insns(), 0, insns, JAVA_LONG, 0, req.insns().length);
                MemorySegment log = size > 0 ? arena.allocate(size) : MemorySegment.NULL;
                BpfAttr a = BpfAttr.allocate(arena, BpfAttr.PROG_LOAD).u32("prog_type", req.type())
                        .u32("insn_cnt", req.insns().length).ptr("insns", insns)
                        .ptr("license", arena.allocateFrom(req.license())).u32("prog_flags", req.flags())
                        .name("prog_name", Names.objectName(req.name()))
                        .u32("expected_attach_type", req.expectedAttachType()).u32("prog_ifindex", req.ifindex());
                if (size > 0) {
                    a.u32("log_level", req.logLevel()).u32("log_size", size).ptr("log_buf", log);
                }
                if (req.btfFd() >= 0) {
                    a.u32("prog_btf_fd", req.btfFd());
                    if (req.funcInfo() != null && req.funcInfo().length > 0) {
                        a.u32("func_info_rec_size", ProgLoad.FUNC_INFO_SIZE).ptr("func_info", bytes(arena, req.funcInfo()))
                                .u32("func_info_cnt", req.funcInfo().length / ProgLoad.FUNC_INFO_SIZE);
                    }
                    if (req.lineInfo() != null && req.lineInfo().length > 0) {
                        a.u32("line_info_rec_size", ProgLoad.LINE_INFO_SIZE).ptr("line_info", bytes(arena, req.lineInfo()))
                                .u32("line_info_cnt", req.lineInfo().length / ProgLoad.LINE_INFO_SIZE);
                    }
                }
                Native.Result r = tryCall(BpfCommand.BPF_PROG_LOAD, a);
                String text = size > 0 ? cString(log) : "";
                if (!r.failed()) {
                    return new ProgLoad.Result(new Fd((int) r.value(), "program " + req.name()), text);
                }
                if (r.errno() == Errno.ENOSPC && size > 0 && size < MAX_LOG_SIZE) {
                    long trueSize = a.u32("log_true_size");
                    size = (int) Math.min(MAX_LOG_SIZE, trueSize > size ? trueSize : (long) size * 4);
                    continue;
                }
                String context = "program '" + req.name() + "', type " + req.type() + ", " + req.insns().length
                        + " instructions";
                if (r.errno() == Errno.ENOSPC && size >= MAX_LOG_SIZE) {
                    // The log is larger than we will hold: the program may well be valid. Load it without a log
                    // and keep the truncated one.
                    try {
                        ProgLoad.Result quiet = progLoad(req.withLog(0, 0));
                        return new ProgLoad.Result(quiet.fd(), text);
                    } catch (BpfSyscallException e) {
                        context += ", verifier log truncated at " + MAX_LOG_SIZE + " bytes";
                    }
                }
                throw new BpfSyscallException(BpfCommand.BPF_PROG_LOAD.name(), r.errno(), context, text,
                        lastLine(text));
            }
        }
    }

    /** The last non-empty line of a log, or empty. */
    public static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }

    /** What {@link #btfLoad} gives: the BTF object and the checker's log. */
    public record BtfResult(Fd fd, String log) {}

    /** {@code BPF_BTF_LOAD} with its own log, grown like the verifier's. */
    public static BtfResult btfLoad(byte[] btf) {
        int size = 64 << 10;
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment log = arena.allocate(size);
                BpfAttr a = BpfAttr.allocate(arena, BpfAttr.BTF_LOAD).ptr("btf", bytes(arena, btf))
                        .u32("btf_size", btf.length).ptr("btf_log_buf", log).u32("btf_log_size", size)
                        .u32("btf_log_level", 1);
                Native.Result r = tryCall(BpfCommand.BPF_BTF_LOAD, a);
                String text = cString(log);
                if (!r.failed()) {
                    return new BtfResult(new Fd((int) r.value(), "BTF"), text);
                }
                if (r.errno() == Errno.ENOSPC && size < MAX_LOG_SIZE) {
                    long trueSize = a.u32("btf_log_true_size");
                    size = (int) Math.min(MAX_LOG_SIZE, trueSize > size ? trueSize : (long) size * 4);
                    continue;
                }
                throw new BpfSyscallException(BpfCommand.BPF_BTF_LOAD.name(), r.errno(), btf.length + " bytes of BTF",
                        text, lastLine(text));
            }
        }
    }

    /** {@code BPF_PROG_TEST_RUN}; a too small {@code data_out} or {@code ctx_out} is grown and the run repeated. */
    public static TestRun.Result progTestRun(int progFd, TestRun req) {
        int dataOut = req.dataOutSize() > 0 ? req.dataOutSize() : req.data().length + 512;
        int ctxOut = req.ctxOutSize() > 0 ? req.ctxOutSize() : req.ctxIn() != null ? req.ctxIn().length : 0;
        for (int attempt = 0; ; attempt++) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(Math.max(8, dataOut), 8);
                MemorySegment ctx = ctxOut > 0 ? arena.allocate(ctxOut, 8) : MemorySegment.NULL;
                BpfAttr a = BpfAttr.allocate(arena, BpfAttr.TEST_RUN).u32("prog_fd", progFd)
                        .u32("data_size_in", req.data().length).ptr("data_in", bytes(arena, req.data()))
                        .u32("data_size_out", dataOut).ptr("data_out", out).u32("repeat", req.repeat())
                        .u32("flags", req.flags()).u32("cpu", req.cpu());
                if (req.ctxIn() != null) {
                    a.u32("ctx_size_in", req.ctxIn().length).ptr("ctx_in", bytes(arena, req.ctxIn()));
                }
                if (ctxOut > 0) {
                    a.u32("ctx_size_out", ctxOut).ptr("ctx_out", ctx);
                }
                Native.Result r = tryCall(BpfCommand.BPF_PROG_TEST_RUN, a);
                if (r.failed()) {
                    long needData = a.u32("data_size_out"), needCtx = a.u32("ctx_size_out");
                    if (r.errno() == Errno.ENOSPC && attempt < 3 && (needData > dataOut || needCtx > ctxOut)) {
                        dataOut = (int) Math.max(dataOut, needData);
                        ctxOut = (int) Math.max(ctxOut, needCtx);
                        continue;
                    }
                    throw new BpfSyscallException(BpfCommand.BPF_PROG_TEST_RUN, r.errno(), "program fd " + progFd
                            + ", " + req.data().length + " bytes of data" + (req.ctxIn() != null
                            ? ", " + req.ctxIn().length + " bytes of context" : ""));
                }
                int outLen = (int) Math.min(a.u32("data_size_out"), dataOut);
                int ctxLen = ctxOut > 0 ? (int) Math.min(a.u32("ctx_size_out"), ctxOut) : 0;
                return new TestRun.Result((int) a.u32("retval"), array(out, outLen),
                        ctxOut > 0 ? array(ctx, ctxLen) : null, a.u32("duration"));
            }
        }
    }

    // ---- pinning

    /** {@code BPF_OBJ_PIN}: makes {@code fd}'s object a file at {@code path} (in a bpf file system). */
    public static void objPin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.OBJ).ptr("pathname", arena.allocateFrom(path)).u32("bpf_fd", fd);
            call(BpfCommand.BPF_OBJ_PIN, a, path);
        }
    }

    /** {@code BPF_OBJ_GET}: opens a pinned object; {@code fileFlags} {@code BPF_F_RDONLY} (8), {@code BPF_F_WRONLY} (16). */
    public static Fd objGet(String path, int fileFlags) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.OBJ).ptr("pathname", arena.allocateFrom(path))
                    .u32("file_flags", fileFlags);
            return new Fd((int) call(BpfCommand.BPF_OBJ_GET, a, path), "pinned " + path);
        }
    }

    // ---- ids and info

    private static OptionalInt nextId(BpfCommand cmd, int start) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.GET_ID).u32("start_id", start);
            Native.Result r = tryCall(cmd, a);
            if (r.failed()) {
                if (r.errno() == Errno.ENOENT) {
                    return OptionalInt.empty();
                }
                throw new BpfSyscallException(cmd, r.errno(), "after id " + start);
            }
            return OptionalInt.of((int) a.u32("next_id"));
        }
    }

    /** {@code BPF_PROG_GET_NEXT_ID}: the first program id above {@code start}, or empty. */
    public static OptionalInt progNextId(int start) {
        return nextId(BpfCommand.BPF_PROG_GET_NEXT_ID, start);
    }

    /** {@code BPF_MAP_GET_NEXT_ID}. */
    public static OptionalInt mapNextId(int start) {
        return nextId(BpfCommand.BPF_MAP_GET_NEXT_ID, start);
    }

    /** {@code BPF_LINK_GET_NEXT_ID}. */
    public static OptionalInt linkNextId(int start) {
        return nextId(BpfCommand.BPF_LINK_GET_NEXT_ID, start);
    }

    /** Every id the command enumerates, ascending. */
    public static List<Integer> ids(BpfCommand nextIdCommand) {
        List<Integer> out = new ArrayList<>();
        int id = 0;
        for (OptionalInt n; (n = nextId(nextIdCommand, id)).isPresent(); ) {
            id = n.getAsInt();
            out.add(id);
        }
        return out;
    }

    private static Fd fdById(BpfCommand cmd, int id, String what) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.GET_ID).u32("start_id", id);
            return new Fd((int) call(cmd, a, what + " id " + id), what + " id " + id);
        }
    }

    /** {@code BPF_PROG_GET_FD_BY_ID}. */
    public static Fd progFdById(int id) {
        return fdById(BpfCommand.BPF_PROG_GET_FD_BY_ID, id, "program");
    }

    /** {@code BPF_MAP_GET_FD_BY_ID}. */
    public static Fd mapFdById(int id) {
        return fdById(BpfCommand.BPF_MAP_GET_FD_BY_ID, id, "map");
    }

    /** {@code BPF_LINK_GET_FD_BY_ID}. */
    public static Fd linkFdById(int id) {
        return fdById(BpfCommand.BPF_LINK_GET_FD_BY_ID, id, "link");
    }

    private static final int PROG_INFO_SIZE = 232, MAP_INFO_SIZE = 88;

    /** {@code BPF_OBJ_GET_INFO_BY_FD} on a program. */
    public static ProgInfo progInfo(int progFd) {
        int room = 16;
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = arena.allocate(PROG_INFO_SIZE, 8);
                MemorySegment ids = arena.allocate(JAVA_INT, room);
                info.set(JAVA_INT, 52, room);
                info.set(JAVA_LONG, 56, ids.address());
                BpfAttr a = BpfAttr.allocate(arena, BpfAttr.INFO).u32("bpf_fd", progFd).u32("info_len", PROG_INFO_SIZE)
                        .ptr("info", info);
                call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, a, "program fd " + progFd);
                int nMaps = info.get(JAVA_INT, 52);
                if (nMaps > room) {
                    room = nMaps;
                    continue;
                }
                List<Integer> mapIds = new ArrayList<>();
                for (int i = 0; i < nMaps; i++) {
                    mapIds.add(ids.getAtIndex(JAVA_INT, i));
                }
                return new ProgInfo(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4),
                        ProgInfo.hexTag(array(info.asSlice(8, 8), 8)), u32(info, 16), u32(info, 20),
                        info.get(JAVA_LONG, 40), u32(info, 48), mapIds, cString(info.asSlice(64, 16)),
                        info.get(JAVA_INT, 80), (info.get(JAVA_INT, 84) & 1) != 0, info.get(JAVA_INT, 128),
                        info.get(JAVA_INT, 144), info.get(JAVA_INT, 148), info.get(JAVA_LONG, 192),
                        info.get(JAVA_LONG, 200), u32(info, 216));
            }
        }
    }

    /** {@code BPF_OBJ_GET_INFO_BY_FD} on a map. */
    public static MapInfo mapInfo(int mapFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(MAP_INFO_SIZE, 8);
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.INFO).u32("bpf_fd", mapFd).u32("info_len", MAP_INFO_SIZE)
                    .ptr("info", info);
            call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, a, "map fd " + mapFd);
            return new MapInfo(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4), info.get(JAVA_INT, 8),
                    info.get(JAVA_INT, 12), info.get(JAVA_INT, 16), info.get(JAVA_INT, 20),
                    cString(info.asSlice(24, 16)), info.get(JAVA_INT, 40), info.get(JAVA_INT, 64),
                    info.get(JAVA_INT, 68), info.get(JAVA_INT, 72), info.get(JAVA_LONG, 80));
        }
    }

    private static long u32(MemorySegment s, long at) {
        return Integer.toUnsignedLong(s.get(JAVA_INT, at));
    }

    // ---- links (attach: used by the attach layer)

    /**
     * A {@code BPF_LINK_CREATE} request.
     *
     * @param progFd     the program
     * @param target     target fd or ifindex (XDP, tcx: the ifindex)
     * @param attachType {@code enum bpf_attach_type} (BPF_XDP = 37, BPF_TCX_INGRESS = 46, BPF_TCX_EGRESS = 47)
     * @param flags      link flags (XDP: {@code XDP_FLAGS_*}; tcx: {@code BPF_F_BEFORE} / {@code BPF_F_AFTER} ...)
     * @param relative   tcx / netkit: the fd or id the flags are relative to, 0 for none
     * @param expectedRevision tcx / netkit: the revision the attach expects, 0 for any
     */
    public record LinkCreate(int progFd, int target, int attachType, int flags, int relative, long expectedRevision) {
        public static LinkCreate of(int progFd, int target, int attachType, int flags) {
            return new LinkCreate(progFd, target, attachType, flags, 0, 0);
        }
    }

    /** {@code BPF_XDP}, {@code BPF_TCX_INGRESS}, {@code BPF_TCX_EGRESS}: attach types the attach layer uses. */
    public static final int ATTACH_XDP = 37, ATTACH_TCX_INGRESS = 46, ATTACH_TCX_EGRESS = 47;

    /** {@code BPF_LINK_CREATE}. */
    public static Fd linkCreate(LinkCreate req) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.LINK_CREATE).u32("prog_fd", req.progFd())
                    .u32("target_fd", req.target()).u32("attach_type", req.attachType()).u32("flags", req.flags());
            if (req.relative() != 0 || req.expectedRevision() != 0) {
                a.u32("relative_fd", req.relative()).u64("expected_revision", req.expectedRevision());
            }
            return new Fd((int) call(BpfCommand.BPF_LINK_CREATE, a, "program fd " + req.progFd() + ", target "
                    + req.target() + ", attach type " + req.attachType()), "link");
        }
    }

    /** {@code BPF_LINK_UPDATE}: replaces a link's program ({@code oldProgFd} with {@code BPF_F_REPLACE}). */
    public static void linkUpdate(int linkFd, int newProgFd, int flags, int oldProgFd) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.LINK_UPDATE).u32("link_fd", linkFd)
                    .u32("new_prog_fd", newProgFd).u32("flags", flags).u32("old_prog_fd", Math.max(oldProgFd, 0));
            call(BpfCommand.BPF_LINK_UPDATE, a, "link fd " + linkFd);
        }
    }

    /** {@code BPF_LINK_DETACH}: detaches a link, which stays open but defunct. */
    public static void linkDetach(int linkFd) {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.LINK_DETACH).u32("link_fd", linkFd);
            call(BpfCommand.BPF_LINK_DETACH, a, "link fd " + linkFd);
        }
    }
}
