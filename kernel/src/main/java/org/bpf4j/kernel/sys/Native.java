package org.bpf4j.kernel.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few C library entry points the kernel backend needs, called through the Foreign Function &amp; Memory API:
 * {@code syscall(2)} for {@code bpf(2)} (glibc has no wrapper), {@code close}, {@code mount}, {@code strerror} and
 * {@code clock_gettime}. Every call that can fail captures {@code errno} right after the call
 * ({@link Linker.Option#captureCallState}), so nothing the JVM does in between can overwrite it.
 */
public final class Native {
    private Native() {}

    /** The {@code bpf} system call's number on this machine: 321 on x86_64, 280 on aarch64. */
    public static final long SYS_BPF = bpfSyscallNumber(System.getProperty("os.arch", ""));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code long syscall(long number, ...)}, called as {@code syscall(SYS_bpf, int cmd, void *attr, int size)}. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(find("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle MOUNT = LINKER.downcallHandle(find("mount"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(find("clock_gettime"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    static long bpfSyscallNumber(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default -> -1;
        };
    }

    private static MemorySegment find(String symbol) {
        return LINKER.defaultLookup().find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + symbol));
    }

    /** A call's result and the {@code errno} it left (meaningful only when the result is negative). */
    public record Result(long value, int errno) {
        public boolean failed() {
            return value < 0;
        }
    }

    /**
     * {@code syscall(SYS_bpf, cmd, attr, size)}, once. Callers retry and turn failures into exceptions
     * ({@link Bpf}).
     */
    public static Result bpf(int cmd, MemorySegment attr, int size) {
        if (SYS_BPF < 0) {
            throw new UnsupportedOperationException("bpf(2) on " + System.getProperty("os.arch")
                    + " is not supported (x86_64 and aarch64 are)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = (long) SYSCALL.invokeExact(state, SYS_BPF, cmd, attr, size);
            return new Result(r, r < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("syscall failed to run: " + t, t);
        }
    }

    /** {@code close(fd)}. */
    public static Result close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) CLOSE.invokeExact(state, fd);
            return new Result(r, r < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close failed to run: " + t, t);
        }
    }

    /** {@code mount(source, target, fstype, flags, NULL)}. */
    public static Result mount(String source, String target, String fstype, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fstype), flags, MemorySegment.NULL);
            return new Result(r, r < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mount failed to run: " + t, t);
        }
    }

    /** The C library's message for an errno, as {@code strerror(3)} (and so bpftool) words it. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            if (s.equals(MemorySegment.NULL)) {
                return "Unknown error " + errno;
            }
            return s.reinterpret(4096).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            return "Unknown error " + errno;
        }
    }

    /** {@code clock_gettime(clock)} in nanoseconds ({@code CLOCK_REALTIME} = 0, {@code CLOCK_BOOTTIME} = 7). */
    public static long clockNanos(int clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            int r = (int) CLOCK_GETTIME.invokeExact(clock, ts);
            if (r != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return ts.get(JAVA_LONG, 0) * 1_000_000_000L + ts.get(JAVA_LONG, 8);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime failed to run: " + t, t);
        }
    }
}
