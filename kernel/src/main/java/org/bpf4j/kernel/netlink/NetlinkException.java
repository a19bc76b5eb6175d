package org.bpf4j.kernel.netlink;

import org.bpf4j.core.api.Errno;

/** A netlink request the kernel refused: the request, the errno and, when the kernel gave one, its reason. */
public final class NetlinkException extends RuntimeException {
    private final int errno;
    private final String reason;

    public NetlinkException(String request, int errno, String reason) {
        super(request + " failed: " + Errno.name(errno) + " (" + errno + ")"
                + (reason == null || reason.isBlank() ? "" : ": " + reason));
        this.errno = errno;
        this.reason = reason;
    }

    public int errno() {
        return errno;
    }

    /** The kernel's extended-ack message, or null. */
    public String reason() {
        return reason;
    }
}
