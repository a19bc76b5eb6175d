package org.bpf4j.cli.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf4j kernel attach|detach} on a veth pair this test makes (no traffic is sent; the pair and every pin
 * are removed afterwards, also when a test fails).
 */
class KernelAttachCommandTest {
    static final String VETH = "bpf4j-cli0", PEER = "bpf4j-cli1";
    Path pins;

    @BeforeEach
    void veth() throws Exception {
        KernelCommandTest.assumeKernel();
        sh("ip", "link", "del", VETH);
        assertEquals(0, sh("ip", "link", "add", VETH, "type", "veth", "peer", "name", PEER));
        pins = Path.of("/sys/fs/bpf/bpf4j-attach-test-" + ProcessHandle.current().pid());
    }

    @AfterEach
    void cleanUp() throws IOException {
        sh("ip", "link", "del", VETH);
        for (String p : new String[] {"link", "maps/protocount", "maps/protocount_map", "maps"}) {
            Files.deleteIfExists(pins.resolve(p));
        }
        Files.deleteIfExists(pins);
    }

    static int sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static String ip(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of("ip"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void xdpOverNetlinkIsWhatIpLinkShowsAndASecondAttachNeedsReplace() throws Exception {
        var r = KernelCommandTest.bpf4j("kernel", "attach", "xdp", VETH, KernelCommandTest.examples("obj/portfilter.o"),
                "--mode", "generic");
        assertEquals(0, r.status(), r.err());
        assertTrue(ip("link", "show", VETH).contains("prog/xdp"), ip("link", "show", VETH));
        assertTrue(ip("link", "show", VETH).contains("name portfilter"), ip("link", "show", VETH));

        var again = KernelCommandTest.bpf4j("kernel", "attach", "xdp", VETH, KernelCommandTest.examples("obj/dropworld.o"));
        assertEquals(1, again.status());
        assertTrue(again.err().contains("a program is attached already") && again.err().contains("--replace"),
                again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());

        var replaced = KernelCommandTest.bpf4j("kernel", "attach", "xdp", VETH,
                KernelCommandTest.examples("obj/dropworld.o"), "--replace");
        assertEquals(0, replaced.status(), replaced.err());
        assertTrue(ip("link", "show", VETH).contains("name dropworld"));

        var detached = KernelCommandTest.bpf4j("kernel", "detach", "xdp", VETH);
        assertEquals(0, detached.status(), detached.err());
        assertFalse(ip("link", "show", VETH).contains("prog/xdp"), ip("link", "show", VETH));
    }

    @Test
    void aPinnedLinkOutlivesTheCommandAndDetachesByItsPin() throws Exception {
        Files.createDirectories(pins);
        var r = KernelCommandTest.bpf4j("kernel", "attach", "xdp", VETH, KernelCommandTest.examples("obj/protocount.o"),
                "--link", pins.resolve("link").toString(), "--pin", pins.resolve("maps").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(pins.resolve("link")));
        assertTrue(Files.exists(pins.resolve("maps/protocount_map")));
        assertTrue(ip("link", "show", VETH).contains("prog/xdp"), "the link keeps the program attached");

        var d = KernelCommandTest.bpf4j("kernel", "detach", "xdp", VETH, "--link", pins.resolve("link").toString());
        assertEquals(0, d.status(), d.err());
        assertFalse(Files.exists(pins.resolve("link")));
        assertFalse(ip("link", "show", VETH).contains("prog/xdp"), ip("link", "show", VETH));
    }

    @Test
    void tcGoesOnAClsactQdiscAsTcShowsIt() throws Exception {
        var r = KernelCommandTest.bpf4j("kernel", "attach", "tc", VETH, KernelCommandTest.examples("obj/tcmarker.o"),
                "--direction", "ingress");
        assertEquals(0, r.status(), r.err());
        Process p = new ProcessBuilder("tc", "filter", "show", "dev", VETH, "ingress").redirectErrorStream(true).start();
        String shown = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(shown.contains("tcmarker") && shown.contains("direct-action"), shown);
        var d = KernelCommandTest.bpf4j("kernel", "detach", "tc", VETH);
        assertEquals(0, d.status(), d.err());
    }

    @Test
    void anUnknownInterfaceIsOneClearLine() throws Exception {
        var r = KernelCommandTest.bpf4j("kernel", "attach", "xdp", "nosuchif0", KernelCommandTest.examples("obj/portfilter.o"));
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no interface nosuchif0"), r.err());
    }
}
