package org.bpf4j.runtime.helpers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.hooks.FabricAction;
import org.bpf4j.runtime.hooks.FabricHook;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;

/** BPFabric's bpf_mirror, bpf_notify and bpf_debug, collected by a FabricSink.Collecting (fabric.c). */
class FabricHelpersTest {
    final FabricSink.Collecting sink = new FabricSink.Collecting();
    final HelperServices services = new HelperServices(() -> 0, () -> 0, new TraceLog(), new RoutingTable(), 42, sink);
    final LoadedObject obj = TestPrograms.load("fabric",
            TestPrograms.options().withServices(services).withType(ProgramType.BPFABRIC));

    @Test
    void mirrorNotifyAndDebugReachTheSinkAndTheTraceLog() {
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        byte[] frame = TestPrograms.params(60, 0x11223344);
        PacketMeta meta = new PacketMeta(1, 0, 3_000_000_007L, 5);
        assertEquals(new FabricAction(FabricAction.Kind.PORT, 2), r.run(frame, frame.length, meta));

        assertEquals(1, sink.mirrored().size());
        assertEquals(7, sink.mirrored().get(0).port());
        assertArrayEquals(frame, sink.mirrored().get(0).packet(), "the frame, without BPFabric's metadata");

        assertEquals(1, sink.notifications().size());
        FabricSink.Notification n = sink.notifications().get(0);
        assertEquals(3, n.id());
        ByteBuffer md = ByteBuffer.allocate(FabricHook.HEADER).order(ByteOrder.LITTLE_ENDIAN);
        md.putInt(5).putInt(3).putInt(7).putShort((short) 60);
        assertArrayEquals(md.array(), n.data(), "in_port, sec, nsec, length");

        assertEquals(List.of("[cpu 0] debug: fabric says hi", "[cpu 0] debug: 0x1234"), services.trace().lines());
    }

    @Test
    void theSinkKeepsEveryPacketInOrder() {
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        for (int i = 0; i < 3; i++) {
            byte[] frame = TestPrograms.params(60 + i);
            r.run(frame, frame.length, new PacketMeta(1, 0, 0, i));
        }
        assertEquals(List.of(60, 61, 62), sink.mirrored().stream().map(m -> m.packet().length).toList());
        assertEquals(List.of(0, 1, 2), sink.notifications().stream()
                .map(n -> ByteBuffer.wrap(n.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).toList());
    }
}
