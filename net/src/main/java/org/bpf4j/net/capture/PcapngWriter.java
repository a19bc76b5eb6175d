package org.bpf4j.net.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

final class PcapngWriter extends CaptureWriter {
    private static final byte[] USER_APPLICATION = "bpf4j".getBytes(StandardCharsets.UTF_8);
    private static final int SHB_USERAPPL = 4;

    PcapngWriter(OutputStream out, boolean nanos, int[] linkTypes) {
        super(out, nanos, linkTypes);
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    @Override
    void writeHeader() throws IOException {
        // Section Header Block: shb_userappl "bpf4j", end of options.
        int options = 4 + pad(USER_APPLICATION.length) + 4;
        int length = 28 + options;
        u32(0, PcapngReader.SHB);
        u32(4, length);
        u32(8, PcapngReader.BYTE_ORDER_MAGIC);
        u16(12, 1);
        u16(14, 0);
        i64(16, -1); // section length not specified
        u16(24, SHB_USERAPPL);
        u16(26, USER_APPLICATION.length);
        emit(28);
        out.write(USER_APPLICATION);
        out.write(new byte[pad(USER_APPLICATION.length) - USER_APPLICATION.length]);
        u32(0, 0); // opt_endofopt
        u32(4, length);
        emit(8);
        for (int linkType : linkTypes) {
            int idbLength = nanos ? 20 + 8 + 4 : 20;
            u32(0, PcapngReader.IDB);
            u32(4, idbLength);
            u16(8, linkType);
            u16(10, 0);
            u32(12, CaptureReader.MAX_CAPTURED_LENGTH);
            int at = 16;
            if (nanos) {
                u16(at, PcapngReader.IF_TSRESOL);
                u16(at + 2, 1);
                u32(at + 4, 9); // 10^-9 seconds and 3 bytes of padding
                u32(at + 8, 0); // opt_endofopt
                at += 12;
            }
            u32(at, idbLength);
            emit(at + 4);
        }
    }

    @Override
    void writeRecord(int interfaceIndex, long units, byte[] data, int offset, int length, int originalLength)
            throws IOException {
        int padded = pad(length);
        int blockLength = 32 + padded;
        u32(0, PcapngReader.EPB);
        u32(4, blockLength);
        u32(8, interfaceIndex);
        u32(12, units >>> 32);
        u32(16, units);
        u32(20, length);
        u32(24, originalLength);
        emit(28);
        out.write(data, offset, length);
        u32(0, 0);
        emit(padded - length);
        u32(0, blockLength);
        emit(4);
    }
}
