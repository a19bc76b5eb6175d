package org.bpf4j.core.api;


/**
 * A control-plane map operation failed the way the kernel's {@code bpf(2)} would: {@link #errno()} is the
 * (positive) errno, the message reads like {@code "update: key exists (EEXIST)"}.
 */
public final class MapException extends RuntimeException {
    private final String operation;
    private final int errno;

    public MapException(String operation, int errno, String detail) {
        super(operation + ": " + detail + " (" + Errno.name(errno) + ")");
        this.operation = operation;
        this.errno = Math.abs(errno);
    }

    /** The positive errno, e.g. {@link Errno#EEXIST}. */
    public int errno() {
        return errno;
    }

    /** The operation that failed: {@code lookup}, {@code update}, {@code delete}, {@code create}, ... */
    public String operation() {
        return operation;
    }

    /** Throws for a negative result code of an operation; returns the code when it is not negative. */
    public static long check(String operation, long code) {
        if (code < 0) {
            throw of(operation, (int) -code);
        }
        return code;
    }

    /** An exception with the usual wording for an errno in an operation. */
    public static MapException of(String operation, int errno) {
        String detail = switch (Math.abs(errno)) {
            case Errno.ENOENT -> "no such key";
            case Errno.EEXIST -> "key exists";
            case Errno.E2BIG -> operation.equals("update") ? "map is full or index out of range" : "argument too big";
            case Errno.ENOSPC -> "no space left in map";
            case Errno.EINVAL -> "invalid argument";
            case Errno.EOPNOTSUPP -> "operation not supported by this map type";
            case Errno.EAGAIN -> "no space, try again";
            case Errno.EBUSY -> "busy";
            default -> Errno.strerror(errno);
        };
        return new MapException(operation, errno, detail);
    }
}
