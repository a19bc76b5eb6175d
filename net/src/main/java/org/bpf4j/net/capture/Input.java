package org.bpf4j.net.capture;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A buffered view of an input stream that knows its byte offset and decodes integers in either byte order.
 * It reads only as far as asked: skipping reads through the data, so a bogus length ends at the end of the
 * file instead of seeking past it.
 */
final class Input implements AutoCloseable {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static final int BUFFER_SIZE = 1 << 16;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    private long base; // the file offset of buf[0]
    private boolean eof;

    Input(InputStream in) {
        this.in = in;
    }

    /** The file offset of the next byte to consume. */
    long position() {
        return base + pos;
    }

    /**
     * Makes at least {@code n} (at most {@link #BUFFER_SIZE}) bytes available unless the stream ends first;
     * returns how many of them are available.
     */
    int fill(int n) throws IOException {
        if (lim - pos >= n) {
            return n;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return Math.min(n, lim - pos);
    }

    /** Consumes {@code n} bytes already made available by {@link #fill}. */
    void advance(int n) {
        pos += n;
    }

    int u8(int at) {
        return buf[pos + at] & 0xff;
    }

    int u16(int at, ByteOrder order) {
        short v = order == ByteOrder.LITTLE_ENDIAN ? (short) LE16.get(buf, pos + at) : (short) BE16.get(buf, pos + at);
        return v & 0xffff;
    }

    int i32(int at, ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? (int) LE32.get(buf, pos + at) : (int) BE32.get(buf, pos + at);
    }

    long u32(int at, ByteOrder order) {
        return i32(at, order) & 0xffff_ffffL;
    }

    long i64(int at, ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? (long) LE64.get(buf, pos + at) : (long) BE64.get(buf, pos + at);
    }

    /** Reads up to {@code len} bytes into {@code dst}; returns how many, fewer only at the end of the stream. */
    int read(byte[] dst, int off, int len) throws IOException {
        int done = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, done);
        pos += done;
        while (done < len && !eof) {
            if (len - done >= BUFFER_SIZE) {
                int r = in.read(dst, off + done, len - done);
                if (r < 0) {
                    eof = true;
                } else {
                    done += r;
                    base += r;
                }
            } else {
                int got = fill(len - done);
                System.arraycopy(buf, pos, dst, off + done, got);
                pos += got;
                done += got;
                if (got == 0) {
                    break;
                }
            }
        }
        return done;
    }

    /** Consumes up to {@code n} bytes; returns how many, fewer only at the end of the stream. */
    long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int avail = lim - pos;
            if (avail == 0) {
                if (fill(1) == 0) {
                    break;
                }
                continue;
            }
            int step = (int) Math.min(avail, n - done);
            pos += step;
            done += step;
        }
        return done;
    }

    /** Whether the stream has no more bytes. */
    boolean atEnd() throws IOException {
        return fill(1) == 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
