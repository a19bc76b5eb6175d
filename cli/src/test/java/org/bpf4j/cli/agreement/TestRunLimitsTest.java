package org.bpf4j.cli.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's test-run limits that {@link TestRunLimits} states, measured at each boundary (one byte inside, one
 * outside), and what user space does there. The agreement tests leave the refused frames out of their
 * comparisons; this checks that the rule for leaving them out is the kernel's.
 */
class TestRunLimitsTest {
    @BeforeEach
    void kernel() {
        Agreement.assumeKernel();
    }

    /** Runs each frame in the kernel and checks refusal (and errno) against {@link TestRunLimits#refusal}. */
    static List<String> check(Agreement.Pair pair, String program, ProgramType type, List<byte[]> frames) {
        List<String> wrong = new ArrayList<>();
        for (byte[] f : frames) {
            Agreement.Outcome k = pair.runKernel(program, f);
            TestRunLimits.Refusal r = TestRunLimits.refusal(type, f);
            int errno = k.error() instanceof BpfSyscallException e ? e.errno() : k.error() == null ? 0 : -1;
            if (r == null ? errno != 0 : errno != r.errno()) {
                wrong.add(f.length + " bytes, EtherType " + Agreement.hex(java.util.Arrays.copyOfRange(f, 12,
                        Math.min(14, f.length))) + ": expected " + (r == null ? "a run" : r) + ", the kernel gave "
                        + k.describe());
            }
        }
        return wrong;
    }

    static byte[] frame(int etherType, int length) {
        byte[] f = EdgeFrames.pad(EdgeFrames.eth(etherType, new byte[0]), length);
        if (length >= 14) {
            f[12] = (byte) (etherType >> 8);
            f[13] = (byte) etherType;
        }
        return f;
    }

    @Test
    void xdp() throws IOException {
        try (Agreement.Pair pair = new Agreement.Pair("dropworld", Agreement.example("dropworld"))) {
            List<byte[]> frames = new ArrayList<>();
            for (int n : new int[] {0, 1, 13, 14, 15, TestRunLimits.XDP_LINEAR_MAX, TestRunLimits.XDP_LINEAR_MAX + 1,
                    TestRunLimits.XDP_MAX, TestRunLimits.XDP_MAX + 1}) {
                frames.add(frame(0x0800, n));
            }
            frames.add(frame(0x86dd, 20)); // XDP has no IP header rule
            assertEquals(List.of(), check(pair, "dropworld", ProgramType.XDP, frames));
            // user space: runs frames below 14 bytes (the kernel's refusal is the test run's), refuses above 65535
            assertNull(pair.runUser("dropworld", new byte[13]).error());
            assertTrue(pair.runUser("dropworld", new byte[65536]).error() instanceof IllegalArgumentException);
        }
    }

    @Test
    void tc() throws IOException {
        try (Agreement.Pair pair = new Agreement.Pair("tcmarker", Agreement.example("tcmarker"))) {
            List<byte[]> frames = new ArrayList<>();
            for (int n : new int[] {13, 14, 15, 33, 34, 53, 54, TestRunLimits.TC_MAX, TestRunLimits.TC_MAX + 1}) {
                for (int type : new int[] {0x0800, 0x86dd, 0x8100, 0x0806, 0x0064}) {
                    frames.add(frame(type, n));
                }
            }
            assertEquals(List.of(), check(pair, "tcmarker", ProgramType.SCHED_CLS, frames));
            assertThrows(BpfSyscallException.class, () -> pair.kernelProgram("tcmarker").run(frame(0x0800, 33)));
        }
    }
}
