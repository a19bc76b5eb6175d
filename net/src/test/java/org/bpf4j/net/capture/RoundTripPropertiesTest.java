package org.bpf4j.net.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever is written is read back: exactly in nanosecond files, with timestamps cut to microseconds otherwise. */
class RoundTripPropertiesTest {
    private static final int[] LINK_TYPES = {1, 101, 228};

    @Provide
    Arbitrary<List<Packet>> packets() {
        Arbitrary<Packet> packet = Combinators.combine(
                Arbitraries.longs().between(0, 4_294_967_295_999_999_999L),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(1600),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, LINK_TYPES.length - 1))
                .as((ts, data, extra, iface) -> new Packet(ts, data, data.length + extra % 3 * extra, iface,
                        LINK_TYPES[iface]));
        return packet.list().ofMaxSize(30);
    }

    private static List<Packet> roundTrip(List<Packet> packets, boolean pcapng, boolean nanos) throws IOException {
        var out = new ByteArrayOutputStream();
        List<Packet> expected = new ArrayList<>();
        try (var w = pcapng ? CaptureWriter.pcapng(out, nanos, LINK_TYPES) : CaptureWriter.pcap(out, 1, nanos)) {
            for (Packet p : packets) {
                Packet q = pcapng ? p : new Packet(p.timestampNanos(), p.data(), p.originalLength(), 0, 1);
                w.write(q);
                long ts = nanos ? q.timestampNanos() : q.timestampNanos() / 1000 * 1000;
                expected.add(new Packet(ts, q.data(), q.originalLength(), q.interfaceIndex(), q.linkType()));
            }
        }
        assertEquals(expected, PcapFormatTest.read(out.toByteArray()));
        return expected;
    }

    @Property(tries = 200)
    void pcapNanosecondFilesRoundTrip(@ForAll("packets") List<Packet> packets) throws IOException {
        roundTrip(packets, false, true);
    }

    @Property(tries = 200)
    void pcapMicrosecondFilesRoundTrip(@ForAll("packets") List<Packet> packets) throws IOException {
        roundTrip(packets, false, false);
    }

    @Property(tries = 200)
    void pcapngNanosecondFilesRoundTrip(@ForAll("packets") List<Packet> packets) throws IOException {
        roundTrip(packets, true, true);
    }

    @Property(tries = 200)
    void pcapngMicrosecondFilesRoundTrip(@ForAll("packets") List<Packet> packets) throws IOException {
        roundTrip(packets, true, false);
    }
}
