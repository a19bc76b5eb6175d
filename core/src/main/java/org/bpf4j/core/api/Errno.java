package org.bpf4j.core.api;

import java.util.Map;

/**
 * Linux errno values (x86_64 and aarch64 share them), which helpers and map operations return negated to programs,
 * bpf(2) and netlink report, and {@link MapException} carries positive.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
            EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18,
            ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27,
            ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, ERANGE = 34, EDEADLK = 35,
            ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, ENOLINK = 67, EPROTO = 71,
            EBADMSG = 74, EOVERFLOW = 75, EILSEQ = 84, EOPNOTSUPP = 95, EADDRNOTAVAIL = 99, ENETDOWN = 100,
            ETIMEDOUT = 110, EALREADY = 114, EINPROGRESS = 115, ECANCELED = 125,
            /** The kernel's internal "not supported", which some bpf(2) paths let through to user space. */
            ENOTSUPP = 524;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(EPERM, "EPERM"),
            Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"), Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"),
            Map.entry(ENXIO, "ENXIO"), Map.entry(E2BIG, "E2BIG"), Map.entry(ENOEXEC, "ENOEXEC"),
            Map.entry(EBADF, "EBADF"), Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"),
            Map.entry(EEXIST, "EEXIST"), Map.entry(EXDEV, "EXDEV"), Map.entry(ENODEV, "ENODEV"),
            Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENFILE, "ENFILE"), Map.entry(EMFILE, "EMFILE"), Map.entry(ENOTTY, "ENOTTY"),
            Map.entry(EFBIG, "EFBIG"), Map.entry(ENOSPC, "ENOSPC"), Map.entry(ESPIPE, "ESPIPE"),
            Map.entry(EROFS, "EROFS"), Map.entry(EMLINK, "EMLINK"), Map.entry(EPIPE, "EPIPE"),
            Map.entry(ERANGE, "ERANGE"), Map.entry(EDEADLK, "EDEADLK"), Map.entry(ENAMETOOLONG, "ENAMETOOLONG"),
            Map.entry(ENOSYS, "ENOSYS"), Map.entry(ENOTEMPTY, "ENOTEMPTY"), Map.entry(ELOOP, "ELOOP"),
            Map.entry(ENODATA, "ENODATA"), Map.entry(ENOLINK, "ENOLINK"), Map.entry(EPROTO, "EPROTO"),
            Map.entry(EBADMSG, "EBADMSG"), Map.entry(EOVERFLOW, "EOVERFLOW"), Map.entry(EILSEQ, "EILSEQ"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"),
            Map.entry(ENETDOWN, "ENETDOWN"), Map.entry(ETIMEDOUT, "ETIMEDOUT"), Map.entry(EALREADY, "EALREADY"),
            Map.entry(EINPROGRESS, "EINPROGRESS"), Map.entry(ECANCELED, "ECANCELED"),
            Map.entry(ENOTSUPP, "ENOTSUPP"));

    /** The symbolic name, e.g. {@code EEXIST}, or {@code errno N}. */
    public static String name(int errno) {
        String n = NAMES.get(Math.abs(errno));
        return n != null ? n : "errno " + Math.abs(errno);
    }

    /** What {@code strerror} says, as bpftool prints it in a dump's {@code "error"} field. */
    public static String strerror(int errno) {
        return switch (Math.abs(errno)) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case E2BIG -> "Argument list too long";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            case ENOSPC -> "No space left on device";
            case ERANGE -> "Numerical result out of range";
            case EOVERFLOW -> "Value too large for defined data type";
            case EOPNOTSUPP -> "Operation not supported";
            default -> "Unknown error " + Math.abs(errno);
        };
    }
}
