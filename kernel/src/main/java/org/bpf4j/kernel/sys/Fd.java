package org.bpf4j.kernel.sys;

import org.bpf4j.core.api.Errno;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor the kernel gave us (a map, a program, BTF, a link, a pinned object). Closing it is idempotent;
 * once closed, {@link #get()} throws instead of handing out a number the process may have reused.
 */
public final class Fd implements AutoCloseable {
    private final AtomicInteger fd;
    private final String what;

    public Fd(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = new AtomicInteger(fd);
        this.what = what;
    }

    /** The number, for a {@code bpf_attr}. */
    public int get() {
        int v = fd.get();
        if (v < 0) {
            throw new IllegalStateException(what + ": the file descriptor is closed");
        }
        return v;
    }

    public boolean isOpen() {
        return fd.get() >= 0;
    }

    /** What it refers to, e.g. {@code map protocount_map}. */
    public String what() {
        return what;
    }

    @Override
    public void close() {
        int v = fd.getAndSet(-1);
        if (v >= 0) {
            Native.Result r = Native.close(v);
            if (r.failed() && r.errno() != Errno.EINTR) {
                throw new BpfSyscallException("close", r.errno(), what + ", fd " + v, null);
            }
        }
    }

    @Override
    public String toString() {
        return "fd " + fd.get() + " (" + what + ")";
    }
}
