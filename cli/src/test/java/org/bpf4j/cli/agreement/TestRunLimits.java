package org.bpf4j.cli.agreement;

import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.api.Errno;

/**
 * Which frames the kernel's {@code BPF_PROG_TEST_RUN} refuses before the program runs (net/bpf/test_run.c, Linux
 * 6.18), measured by {@code TestRunLimitsTest}. These are limits of the test run, not of the programs: the
 * agreement tests check that the kernel refuses exactly these frames, and leave them out of the comparison.
 *
 * <ul>
 * <li>Both: fewer than {@code ETH_HLEN} (14) bytes: {@code bpf_test_init} returns {@code -EINVAL}.</li>
 * <li>XDP: up to {@value #XDP_LINEAR_MAX} bytes ({@code 4096 - XDP_PACKET_HEADROOM - SKB_DATA_ALIGN(sizeof(struct
 *     skb_shared_info))}) are linear; the rest goes into up to {@code MAX_SKB_FRAGS} (17) page fragments, so
 *     {@value #XDP_MAX} bytes at most; beyond, {@code -ENOMEM}.</li>
 * <li>TC: at most {@value #TC_MAX} bytes ({@code 4096 - NET_SKB_PAD - tailroom}), else {@code -EINVAL}; and a
 *     frame whose EtherType is IPv4 (IPv6) needs a whole IPv4 (IPv6) header after the Ethernet header, else
 *     {@code -EINVAL} (the check on {@code skb->protocol} after {@code eth_type_trans}, a 2026 fix backported to
 *     6.18.y: asked of the running kernel, see {@link #checksIpHeaders()}).</li>
 * </ul>
 */
final class TestRunLimits {
    private TestRunLimits() {}

    static final int ETH_HLEN = 14;
    static final int XDP_LINEAR_MAX = 4096 - 256 - 320;
    static final int MAX_SKB_FRAGS = 17;
    static final int XDP_MAX = XDP_LINEAR_MAX + MAX_SKB_FRAGS * 4096;
    static final int TC_MAX = 4096 - 64 - 320;

    record Refusal(int errno, String why) {}

    /** Why the kernel's test run refuses this frame for a program of this type, or null when it runs it. */
    static Refusal refusal(ProgramType type, byte[] frame) {
        int n = frame.length;
        if (n < ETH_HLEN) {
            return new Refusal(Errno.EINVAL, "shorter than ETH_HLEN");
        }
        if (type == ProgramType.XDP && n > XDP_MAX) {
            return new Refusal(Errno.ENOMEM, "more than " + MAX_SKB_FRAGS + " fragments after " + XDP_LINEAR_MAX
                    + " linear bytes");
        }
        if (type == ProgramType.SCHED_CLS || type == ProgramType.SCHED_ACT) {
            if (n > TC_MAX) {
                return new Refusal(Errno.EINVAL, "longer than " + TC_MAX + " bytes");
            }
            int etherType = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
            if (!checksIpHeaders()) {
                return null;
            }
            if (etherType == 0x0800 && n - ETH_HLEN < 20) {
                return new Refusal(Errno.EINVAL, "EtherType IPv4 without a whole IPv4 header");
            }
            if (etherType == 0x86dd && n - ETH_HLEN < 40) {
                return new Refusal(Errno.EINVAL, "EtherType IPv6 without a whole IPv6 header");
            }
        }
        return null;
    }

    private static volatile Boolean checksIpHeaders;

    /**
     * Whether this kernel's TC test run checks the IP header length (a 2026 fix, in 6.18.y stable; older kernels
     * run such frames): asked once, with a 33-byte IPv4 frame through tcmarker.
     */
    static boolean checksIpHeaders() {
        Boolean b = checksIpHeaders;
        if (b == null) {
            byte[] frame = new byte[33];
            frame[12] = 0x08;
            try (Agreement.Pair pair = new Agreement.Pair("tcmarker", Agreement.example("tcmarker"))) {
                b = pair.runKernel("tcmarker", frame).error() != null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            checksIpHeaders = b;
        }
        return b;
    }
}
