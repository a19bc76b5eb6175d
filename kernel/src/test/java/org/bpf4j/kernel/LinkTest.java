package org.bpf4j.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicReference;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfCommand;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link commands the attach layer will use. Real attachments happen only to the loopback device of a network
 * namespace that one test thread makes for itself ({@code unshare(CLONE_NEWNET)} moves just the calling thread),
 * so the machine's own devices are never touched.
 */
class LinkTest {
    private static final int CLONE_NEWNET = 0x40000000;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeKernel();
    }

    /** Runs {@code body} on a fresh thread inside a new, empty network namespace (its lo is ifindex 1, down). */
    private static void inOwnNetworkNamespace(ThrowingRunnable body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> skip = new AtomicReference<>();
        Thread t = Thread.ofPlatform().unstarted(() -> {
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle unshare = linker.downcallHandle(linker.defaultLookup().find("unshare").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                if ((int) unshare.invokeExact(CLONE_NEWNET) != 0) {
                    skip.set("unshare(CLONE_NEWNET) failed: cannot make a private network namespace");
                    return;
                }
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assumeTrue(skip.get() == null, skip.get());
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    @Test
    void xdpLinksAttachUpdateAndDetachOnAPrivateLoopback() throws Throwable {
        try (KernelObject drop = KernelObject.load(KernelSupport.example("dropworld"));
                KernelObject filter = KernelObject.load(KernelSupport.example("portfilter"))) {
            int first = drop.programs().getFirst().fd().get();
            int second = filter.programs().getFirst().fd().get();
            inOwnNetworkNamespace(() -> {
                try (Fd link = Bpf.linkCreate(Bpf.LinkCreate.of(first, 1, Bpf.ATTACH_XDP, 0))) {
                    assertTrue(link.get() > 0);
                    // a second XDP link on the same device is refused while the first holds it
                    var busy = assertThrows(BpfSyscallException.class,
                            () -> Bpf.linkCreate(Bpf.LinkCreate.of(second, 1, Bpf.ATTACH_XDP, 0)).close());
                    assertEquals(Errno.EBUSY, busy.errno(), busy.getMessage());
                    Bpf.linkUpdate(link.get(), second, 0, -1);
                    Bpf.linkDetach(link.get());
                    // detached: the device is free again
                    try (Fd again = Bpf.linkCreate(Bpf.LinkCreate.of(first, 1, Bpf.ATTACH_XDP, 0))) {
                        assertNotEquals(link.get(), again.get());
                    }
                }
            });
        }
    }

    @Test
    void tcxLinksAttachToAPrivateLoopback() throws Throwable {
        try (KernelObject tc = KernelObject.load(KernelSupport.example("tcmarker"))) {
            int cls = tc.programs().getFirst().fd().get();
            inOwnNetworkNamespace(() -> {
                try (Fd in = Bpf.linkCreate(Bpf.LinkCreate.of(cls, 1, Bpf.ATTACH_TCX_INGRESS, 0));
                        Fd out = Bpf.linkCreate(Bpf.LinkCreate.of(cls, 1, Bpf.ATTACH_TCX_EGRESS, 0))) {
                    assertNotEquals(in.get(), out.get());
                    Bpf.linkDetach(in.get());
                }
            });
        }
    }

    @Test
    void linkCommandsRefuseWhatIsNoLinkOrNoDevice() throws Exception {
        try (KernelObject k = KernelObject.load(KernelSupport.example("dropworld"))) {
            int prog = k.programs().getFirst().fd().get();
            var dev = assertThrows(BpfSyscallException.class,
                    () -> Bpf.linkCreate(Bpf.LinkCreate.of(prog, 0x7ffffff0, Bpf.ATTACH_XDP, 0)));
            assertEquals("BPF_LINK_CREATE", dev.command());
            assertTrue(dev.errno() == Errno.EINVAL || dev.errno() == Errno.ENODEV, dev.getMessage());
            var u = assertThrows(BpfSyscallException.class, () -> Bpf.linkUpdate(prog, prog, 0, -1));
            assertEquals(Errno.EINVAL, u.errno(), u.getMessage());
            var d = assertThrows(BpfSyscallException.class, () -> Bpf.linkDetach(prog));
            assertEquals(Errno.EINVAL, d.errno(), d.getMessage());
            assertTrue(d.getMessage().startsWith("BPF_LINK_DETACH"));
        }
        Bpf.ids(BpfCommand.BPF_LINK_GET_NEXT_ID);
    }
}
