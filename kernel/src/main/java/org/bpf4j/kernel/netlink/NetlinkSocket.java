package org.bpf4j.kernel.netlink;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Native;

/**
 * A {@code NETLINK_ROUTE} socket through the Foreign Function &amp; Memory API: sends a request, reads the
 * replies until the kernel's acknowledgement (or the end of a dump), and turns a negative acknowledgement into a
 * {@link NetlinkException} carrying the errno and the kernel's extended-ack message ("native XDP not
 * supported", say).
 */
public final class NetlinkSocket implements AutoCloseable {
    static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    static final int SOL_NETLINK = 270, NETLINK_EXT_ACK = 11, NETLINK_CAP_ACK = 10;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200,
            NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH, NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    static final int NLMSGERR_ATTR_MSG = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name)), d, CAPTURE_ERRNO);
    }

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CAPTURE);
    private final MemorySegment buffer = arena.allocate(1 << 16, 8);
    private int seq = (int) (System.nanoTime() & 0x7fff_ffff);

    public NetlinkSocket() {
        try {
            int s = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
            if (s < 0) {
                throw new NetlinkException("socket(AF_NETLINK)", errno(), null);
            }
            this.fd = s;
            MemorySegment one = arena.allocateFrom(JAVA_INT, 1);
            // extended acks give the kernel's reason in words; failing to enable them is harmless
            int ignored = (int) SETSOCKOPT.invokeExact(state, fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
            ignored = (int) SETSOCKOPT.invokeExact(state, fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
            MemorySegment addr = arena.allocate(12, 4); // sockaddr_nl: family, pad, pid 0 (kernel assigns), groups 0
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            if ((int) BIND.invokeExact(state, fd, addr, 12) < 0) {
                int e = errno();
                Native.close(fd);
                throw new NetlinkException("bind(AF_NETLINK)", e, null);
            }
        } catch (NetlinkException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("netlink socket: " + t, t);
        }
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * Sends one request (its header's length, sequence number and flags are filled in here) and returns the
     * payloads of the replies; an acknowledgement with error 0 ends it, a negative one throws.
     */
    public synchronized List<ByteBuffer> request(String what, Message message, boolean dump) {
        int s = ++seq;
        byte[] bytes = message.finish(s, NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0));
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        try {
            long sent = (long) SEND.invokeExact(state, fd, buffer, (long) bytes.length, 0);
            if (sent < 0) {
                throw new NetlinkException(what + ": send", errno(), null);
            }
            List<ByteBuffer> replies = new ArrayList<>();
            while (true) {
                long n = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
                if (n < 0) {
                    if (errno() == Errno.EINTR) {
                        continue;
                    }
                    throw new NetlinkException(what + ": recv", errno(), null);
                }
                ByteBuffer b = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
                while (b.remaining() >= 16) {
                    int start = b.position();
                    int len = b.getInt(start);
                    int type = b.getShort(start + 4) & 0xffff;
                    int rseq = b.getInt(start + 8);
                    if (len < 16 || len > b.remaining()) {
                        throw new NetlinkException(what + ": malformed reply", Errno.EPROTO, null);
                    }
                    ByteBuffer payload = b.slice(start + 16, len - 16).order(ByteOrder.nativeOrder());
                    b.position(start + align(len));
                    if (rseq != s) {
                        continue; // an answer to something else
                    }
                    if (type == NLMSG_ERROR) {
                        int error = payload.getInt(0);
                        if (error == 0) {
                            return replies;
                        }
                        throw new NetlinkException(what, -error, extAck(payload));
                    }
                    if (type == NLMSG_DONE) {
                        return replies;
                    }
                    replies.add(copy(payload));
                }
            }
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what + ": " + t, t);
        }
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining()).order(ByteOrder.nativeOrder());
        c.put(b.duplicate());
        return c.flip();
    }

    // After the error code, NETLINK_CAP_ACK leaves only the original header; then come the extended-ack attributes.
    private static String extAck(ByteBuffer payload) {
        int at = 4 + 16;
        while (at + 4 <= payload.limit()) {
            int len = payload.getShort(at) & 0xffff;
            int type = payload.getShort(at + 2) & 0x3fff;
            if (len < 4 || at + len > payload.limit()) {
                break;
            }
            if (type == NLMSGERR_ATTR_MSG) {
                byte[] s = new byte[len - 4];
                payload.get(at + 4, s);
                int end = 0;
                while (end < s.length && s[end] != 0) {
                    end++;
                }
                return new String(s, 0, end, java.nio.charset.StandardCharsets.UTF_8);
            }
            at += align(len);
        }
        return null;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() {
        Native.close(fd);
        arena.close();
    }
}
