package org.bpf4j.runtime.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.hooks.XdpAction;
import org.junit.jupiter.api.Test;

class LoadedObjectTest {
    @Test
    void portfilterDropsTcpToPort80AndPassesTheRest() {
        LoadedObject obj = Examples.load("portfilter");
        PacketRunner r = obj.runner(obj.program("portfilter").orElseThrow(), 0);
        byte[] http = Frames.ipv4(6, Frames.tcp(40000, 80));
        byte[] https = Frames.ipv4(6, Frames.tcp(40000, 443));
        assertEquals(XdpAction.DROP, r.run(http, http.length, PacketMeta.NONE));
        assertEquals(XdpAction.PASS, r.run(https, https.length, PacketMeta.NONE));
        byte[] arp = Frames.arp();
        assertEquals(XdpAction.PASS, r.run(arp, arp.length, PacketMeta.NONE));
        assertEquals(XdpAction.PASS, r.run(http, 40, PacketMeta.NONE), "truncated inside TCP");
    }

    @Test
    void dropworldDropsEverything() {
        LoadedObject obj = Examples.load("dropworld");
        PacketRunner r = obj.runner(obj.programs().get(0), 0);
        byte[] arp = Frames.arp();
        assertEquals(XdpAction.DROP, r.run(arp, arp.length, PacketMeta.NONE));
    }
}
