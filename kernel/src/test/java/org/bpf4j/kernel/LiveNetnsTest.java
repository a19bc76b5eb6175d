package org.bpf4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.kernel.attach.Attach;
import org.bpf4j.kernel.attach.Attachment;
import org.bpf4j.kernel.netlink.XdpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two network namespaces joined by a veth pair, with real traffic between them: portfilter, attached by our
 * loader in generic mode to the receiving side, drops TCP to port 80 while ICMP, UDP and TCP to other ports flow;
 * protocount on the other side counts what comes back, read from Java and by bpftool from its pin. Everything
 * made here (namespaces, veths, pins) is removed afterwards, also when a test fails.
 */
class LiveNetnsTest {
    static final String A = "bpf4j-test-a", B = "bpf4j-test-b", VA = "bpf4j-va", VB = "bpf4j-vb";
    static final String ADDR_A = "10.211.0.1", ADDR_B = "10.211.0.2";

    NetNs a;
    NetNs b;
    Path pins;

    @BeforeEach
    void namespaces() throws Exception {
        KernelSupport.assumeKernel();
        a = new NetNs(A);
        b = new NetNs(B);
        NetNs.run("ip", "link", "add", VA, "netns", A, "type", "veth", "peer", "name", VB, "netns", B);
        NetNs.run(NetNs.ipAddr(A, VA, ADDR_A + "/24").toArray(String[]::new));
        NetNs.run(NetNs.ipAddr(B, VB, ADDR_B + "/24").toArray(String[]::new));
        NetNs.run("ip", "-n", A, "link", "set", VA, "up");
        NetNs.run("ip", "-n", B, "link", "set", VB, "up");
        pins = Path.of("/sys/fs/bpf/bpf4j-live-" + ProcessHandle.current().pid());
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (b != null) {
            b.close(); // deleting a namespace deletes its veth end, and the pair with it
        }
        if (a != null) {
            a.close();
        }
        if (pins != null && Files.isDirectory(pins)) {
            try (var s = Files.list(pins)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(pins);
        }
    }

    @Test
    void portfilterDropsTcpToPort80WhilePingUdpAndOtherPortsFlowAndTheCounterMatches() throws Exception {
        BpfObject filter = KernelSupport.example("portfilter");
        BpfObject counter = KernelSupport.example("protocount");
        try (KernelObject pf = KernelObject.load(filter); KernelObject pc = KernelObject.load(counter)) {
            // portfilter on A's ingress, protocount on B's ingress, both generic XDP, over netlink and bpf_link
            a.inside(() -> Attach.xdp(pf.program("portfilter").orElseThrow(), VA, XdpMode.GENERIC, Attach.Via.NETLINK,
                    false));
            Attachment countAttach = b.inside(() -> Attach.xdp(pc.program("protocount").orElseThrow(), VB,
                    XdpMode.GENERIC, Attach.Via.LINK, false));
            try (countAttach) {
                assertEquals(XdpMode.GENERIC, a.inside(() -> Attach.xdpOf(VA)).orElseThrow().mode());
                pc.pin(pins);

                // servers in A: TCP 80 and 8080 accept, UDP 5353 echoes
                AtomicInteger accepted = new AtomicInteger();
                ServerSocket http = a.inside(() -> new ServerSocket(80, 16, InetAddress.getByName(ADDR_A)));
                ServerSocket alt = a.inside(() -> new ServerSocket(8080, 16, InetAddress.getByName(ADDR_A)));
                DatagramSocket echo = a.inside(() -> new DatagramSocket(new InetSocketAddress(ADDR_A, 5353)));
                for (ServerSocket s : List.of(http, alt)) {
                    Thread.ofPlatform().daemon().start(() -> {
                        while (!s.isClosed()) {
                            try (Socket c = s.accept()) {
                                accepted.incrementAndGet();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    });
                }
                Thread.ofPlatform().daemon().start(() -> {
                    byte[] buf = new byte[64];
                    while (!echo.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            echo.receive(p);
                            echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                        } catch (IOException e) {
                            return;
                        }
                    }
                });
                try (http; alt; echo) {
                    int pings = 3, datagrams = 5;
                    // from B: ICMP echo (InetAddress.isReachable uses ICMP as root), UDP, TCP 8080, TCP 80
                    int reached = b.inside(() -> {
                        int n = 0;
                        for (int i = 0; i < pings; i++) {
                            n += InetAddress.getByName(ADDR_A).isReachable(2000) ? 1 : 0;
                        }
                        return n;
                    });
                    assertEquals(pings, reached, "ping flows");
                    int echoed = b.inside(() -> {
                        try (DatagramSocket c = new DatagramSocket(new InetSocketAddress(ADDR_B, 0))) {
                            c.setSoTimeout(2000);
                            int n = 0;
                            for (int i = 0; i < datagrams; i++) {
                                c.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress(ADDR_A, 5353)));
                                c.receive(new DatagramPacket(new byte[64], 64));
                                n++;
                            }
                            return n;
                        }
                    });
                    assertEquals(datagrams, echoed, "UDP flows");
                    b.inside(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(ADDR_A, 8080), 2000);
                        }
                        return null;
                    });
                    assertThrows(SocketTimeoutException.class, () -> b.inside(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(ADDR_A, 80), 1500);
                        }
                        return null;
                    }), "TCP to port 80 is dropped");
                    assertEquals(1, accepted.get(), "only the connection to 8080 got through");

                    // the counter, read from Java: ICMP echo replies and UDP echoes came back to B
                    KernelMap counts = pc.map("protocount_map").orElseThrow();
                    assertEquals(pings, sum(counts, 1), "ICMP packets received by B");
                    assertEquals(datagrams, sum(counts, 17), "UDP packets received by B");
                    assertTrue(sum(counts, 6) >= 1, "TCP packets received by B (the SYN-ACK from 8080)");

                    // bpftool reads the map we created and pinned
                    Path pinned = pins.resolve("protocount_map");
                    String json = NetNs.run("bpftool", "-j", "map", "dump", "pinned", pinned.toString());
                    // each entry's raw key is a byte array; with BTF bpftool adds a "formatted" copy, with a number key
                    long rawKeys = java.util.regex.Pattern.compile("\"key\":\\s*\\[").matcher(json).results().count();
                    assertEquals(counts.keys().size(), rawKeys, json);
                    assertTrue(json.contains("\"cpu\":"), "per-CPU values: " + json);
                }
            }
            a.inside(() -> {
                Attach.detachXdp(VA, XdpMode.GENERIC);
                return null;
            });
            assertTrue(a.inside(() -> Attach.xdpOf(VA)).isEmpty(), "detached");
        }
    }

    @Test
    void attachingTwiceWithoutReplaceSaysWhatIsThereAndHowToGoOn() throws Exception {
        try (KernelObject pf = KernelObject.load(KernelSupport.example("portfilter"));
                KernelObject dw = KernelObject.load(KernelSupport.example("dropworld"))) {
            a.inside(() -> Attach.xdp(pf.program("portfilter").orElseThrow(), VA, XdpMode.GENERIC, Attach.Via.NETLINK,
                    false));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.inside(() -> Attach.xdp(
                    dw.program("dropworld").orElseThrow(), VA, XdpMode.GENERIC, Attach.Via.NETLINK, false)));
            assertTrue(e.getMessage().contains("a program is attached already"), e.getMessage());
            assertTrue(e.getMessage().contains("--replace"), e.getMessage());
            // with replace it goes through
            a.inside(() -> Attach.xdp(dw.program("dropworld").orElseThrow(), VA, XdpMode.GENERIC, Attach.Via.NETLINK,
                    true));
            int id = a.inside(() -> Attach.xdpOf(VA)).orElseThrow().programId();
            assertEquals(dw.program("dropworld").orElseThrow().id(), id);
        }
    }

    @Test
    void nativeModeOnADriverWithoutItOrTcViaClsactAndTcx() throws Exception {
        try (KernelObject tc = KernelObject.load(KernelSupport.example("tcmarker"))) {
            Attachment viaClsact = a.inside(() -> Attach.tc(tc.program("tcmarker").orElseThrow(), VA,
                    Attach.Direction.INGRESS, Attach.Via.NETLINK));
            assertTrue(NetNs.run("ip", "netns", "exec", A, "tc", "filter", "show", "dev", VA, "ingress")
                    .contains("tcmarker"), "tc sees our filter");
            a.inside(() -> {
                viaClsact.detach();
                return null;
            });
            try (Attachment tcx = a.inside(() -> Attach.tc(tc.program("tcmarker").orElseThrow(), VA,
                    Attach.Direction.EGRESS, Attach.Via.LINK))) {
                assertTrue(tcx.description().contains("tcx"), tcx.description());
            }
        }
    }

    static long sum(KernelMap m, int key) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key).array();
        return m.lookupPerCpu(k).orElseThrow().stream()
                .mapToLong(v -> ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong()).sum();
    }
}
