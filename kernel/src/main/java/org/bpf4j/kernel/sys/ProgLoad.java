package org.bpf4j.kernel.sys;

import java.util.Objects;

/**
 * A {@code BPF_PROG_LOAD} request. Build one with {@link #of} and the {@code with...} methods.
 *
 * @param type               {@code enum bpf_prog_type}
 * @param expectedAttachType {@code enum bpf_attach_type}, 0 when the type needs none
 * @param insns              the instructions, relocated (no index pseudo sources left)
 * @param license            the license string
 * @param name               the program's name as the kernel stores it ({@link Names#objectName})
 * @param flags              {@code prog_flags} ({@code BPF_F_XDP_HAS_FRAGS} = 32, ...)
 * @param btfFd              the object's BTF, -1 for none
 * @param funcInfo           {@code struct bpf_func_info} records (8 bytes each), or null
 * @param lineInfo           {@code struct bpf_line_info} records (16 bytes each), or null
 * @param logLevel           verifier log level: 0 none, 1 on errors, 2 every instruction (plus 4 for statistics)
 * @param logSize            the first log buffer's size in bytes (grown on ENOSPC up to {@link Bpf#MAX_LOG_SIZE})
 * @param ifindex            device to offload to, 0 for none
 */
public record ProgLoad(int type, int expectedAttachType, long[] insns, String license, String name, int flags,
        int btfFd, byte[] funcInfo, byte[] lineInfo, int logLevel, int logSize, int ifindex) {
    /** {@code sizeof(struct bpf_func_info)}. */
    public static final int FUNC_INFO_SIZE = 8;
    /** {@code sizeof(struct bpf_line_info)}. */
    public static final int LINE_INFO_SIZE = 16;
    /** The first log buffer: 64 KiB. */
    public static final int DEFAULT_LOG_SIZE = 64 << 10;

    public ProgLoad {
        Objects.requireNonNull(insns, "insns");
        license = license == null ? "" : license;
        name = name == null ? "" : name;
        if (funcInfo != null && funcInfo.length % FUNC_INFO_SIZE != 0) {
            throw new IllegalArgumentException("func info of " + funcInfo.length + " bytes");
        }
        if (lineInfo != null && lineInfo.length % LINE_INFO_SIZE != 0) {
            throw new IllegalArgumentException("line info of " + lineInfo.length + " bytes");
        }
    }

    /** A program of this type with a level-1 log, no BTF, no name. */
    public static ProgLoad of(int type, long[] insns, String license) {
        return new ProgLoad(type, 0, insns, license, "", 0, -1, null, null, 1, DEFAULT_LOG_SIZE, 0);
    }

    public ProgLoad withName(String n) {
        return new ProgLoad(type, expectedAttachType, insns, license, n, flags, btfFd, funcInfo, lineInfo, logLevel,
                logSize, ifindex);
    }

    public ProgLoad withExpectedAttachType(int t) {
        return new ProgLoad(type, t, insns, license, name, flags, btfFd, funcInfo, lineInfo, logLevel, logSize,
                ifindex);
    }

    public ProgLoad withFlags(int f) {
        return new ProgLoad(type, expectedAttachType, insns, license, name, f, btfFd, funcInfo, lineInfo, logLevel,
                logSize, ifindex);
    }

    /** With BTF and its func and line info records (either may be null). */
    public ProgLoad withBtf(int fd, byte[] funcs, byte[] lines) {
        return new ProgLoad(type, expectedAttachType, insns, license, name, flags, fd, funcs, lines, logLevel,
                logSize, ifindex);
    }

    public ProgLoad withoutBtf() {
        return withBtf(-1, null, null);
    }

    public ProgLoad withLog(int level, int size) {
        return new ProgLoad(type, expectedAttachType, insns, license, name, flags, btfFd, funcInfo, lineInfo, level,
                size, ifindex);
    }

    /** What a successful load gives: the program and the verifier's log (may be empty). */
    public record Result(Fd fd, String log) {}
}
