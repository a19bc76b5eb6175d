package org.bpf4j.net.capture;

import java.io.IOException;
import java.io.OutputStream;

final class PcapWriter extends CaptureWriter {
    PcapWriter(OutputStream out, int linkType, boolean nanos) {
        super(out, nanos, new int[] {linkType});
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAP;
    }

    @Override
    void writeHeader() throws IOException {
        u32(0, nanos ? CaptureReader.PCAP_NANOS : CaptureReader.PCAP_MICROS);
        u16(4, 2);
        u16(6, 4);
        u32(8, 0); // thiszone: UTC
        u32(12, 0); // sigfigs
        u32(16, CaptureReader.MAX_CAPTURED_LENGTH);
        u32(20, linkTypes[0]);
        emit(24);
    }

    @Override
    void writeRecord(int interfaceIndex, long units, byte[] data, int offset, int length, int originalLength)
            throws IOException {
        long perSecond = nanos ? 1_000_000_000L : 1_000_000L;
        long seconds = units / perSecond;
        if (seconds > 0xffff_ffffL) {
            throw new IllegalArgumentException("timestamp beyond the 32-bit seconds of pcap (2106)");
        }
        u32(0, seconds);
        u32(4, units % perSecond);
        u32(8, length);
        u32(12, originalLength);
        emit(16);
        out.write(data, offset, length);
    }
}
