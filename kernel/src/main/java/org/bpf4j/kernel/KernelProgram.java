package org.bpf4j.kernel;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfFs;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.ProgInfo;
import org.bpf4j.kernel.sys.TestRun;

/**
 * A program loaded into the kernel. Knows its spec (when it came from an object), the verifier's log, and can be
 * test-run ({@code BPF_PROG_TEST_RUN}) and pinned. {@link #close()} closes its descriptor; the kernel frees the
 * program once nothing (descriptor, pin, link, program array) holds it.
 */
public final class KernelProgram implements AutoCloseable {
    private final Fd fd;
    private final ProgramSpec spec;
    private final ProgramType type;
    private final String log;
    private final int id;

    KernelProgram(Fd fd, ProgramSpec spec, ProgramType type, String log) {
        this.fd = fd;
        this.spec = spec;
        this.type = type;
        this.log = log == null ? "" : log;
        this.id = Bpf.progInfo(fd.get()).id();
    }

    /** Opens the program with this id ({@code BPF_PROG_GET_FD_BY_ID}). */
    public static KernelProgram open(int id) {
        return of(Bpf.progFdById(id));
    }

    /** Opens a pinned program. */
    public static KernelProgram openPinned(Path path) {
        return of(Bpf.objGet(path.toString(), 0));
    }

    private static KernelProgram of(Fd fd) {
        try {
            ProgInfo info = Bpf.progInfo(fd.get());
            ProgramType t = null;
            for (ProgramType p : ProgramType.values()) {
                if (p.kernelId() == info.type() && p.kernelId() > 0) {
                    t = p;
                }
            }
            return new KernelProgram(fd, null, t, "");
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    public Fd fd() {
        return fd;
    }

    /** The spec it was loaded from, when it came from an object. */
    public Optional<ProgramSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /** The spec's name, else the kernel's. */
    public String name() {
        return spec != null ? spec.name() : info().name();
    }

    /** Its type, or null for a kernel type bpf4j has no constant for. */
    public ProgramType type() {
        return type;
    }

    public int id() {
        return id;
    }

    /** Fresh information from the kernel. */
    public ProgInfo info() {
        return Bpf.progInfo(fd.get());
    }

    /** The verifier's log from the load (may be empty). */
    public String verifierLog() {
        return log;
    }

    /** Runs the program once per {@code repeat} on {@code data} with the kernel's default context. */
    public TestRun.Result testRun(byte[] data, int repeat) {
        return testRun(TestRun.of(data, repeat));
    }

    /**
     * Runs the program with a context: for TC ({@code SCHED_CLS}) a {@code struct __sk_buff} (the kernel takes
     * {@code mark}, {@code priority}, {@code ifindex}, {@code cb}, {@code tstamp}, {@code wire_len},
     * {@code gso_segs}, {@code gso_size} from it and wants the rest zero) and gets it back after the run.
     */
    public TestRun.Result testRun(byte[] data, byte[] ctx, int repeat) {
        return testRun(TestRun.of(data, repeat).withContext(ctx, ctx == null ? 0 : ctx.length));
    }

    /** {@code BPF_PROG_TEST_RUN}. */
    public TestRun.Result testRun(TestRun run) {
        try {
            return Bpf.progTestRun(fd.get(), run);
        } catch (BpfSyscallException e) {
            throw new BpfSyscallException(e.command(), e.errno(), "program '" + name() + "', id " + id + ", "
                    + run.data().length + " bytes of data", null);
        }
    }

    /** Pins the program at {@code path} (in a bpf file system; /sys/fs/bpf is mounted if needed). */
    public void pin(Path path) {
        Objects.requireNonNull(path);
        BpfFs.ensureMounted();
        try {
            Bpf.objPin(fd.get(), path.toString());
        } catch (BpfSyscallException e) {
            throw new BpfSyscallException(e.command(), e.errno(), "pinning program '" + name() + "' at " + path,
                    null);
        }
    }

    @Override
    public String toString() {
        return (type == null ? "program" : type.name().toLowerCase(java.util.Locale.ROOT) + " program") + " '"
                + name() + "' (id " + id + ")";
    }

    @Override
    public void close() {
        fd.close();
    }
}
