package org.bpf4j.runtime.hooks;

import java.util.Locale;

/**
 * XDP's results ({@code enum xdp_action}). The action is the low 32 bits of r0 ({@code bpf_prog_run} returns a
 * u32); a value the kernel does not know is treated as ABORTED, as it does.
 */
public enum XdpAction implements Action {
    ABORTED, DROP, PASS, TX, REDIRECT;

    // values() copies its array on every call: not per packet
    private static final XdpAction[] ACTIONS = values();

    public static XdpAction of(long r0) {
        long v = r0 & 0xffff_ffffL;
        return v <= 4 ? ACTIONS[(int) v] : ABORTED;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
