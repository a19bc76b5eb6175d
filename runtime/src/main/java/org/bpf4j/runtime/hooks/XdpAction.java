package org.bpf4j.runtime.hooks;

import java.util.Locale;

/** XDP's results ({@code enum xdp_action}). A value the kernel does not know is treated as ABORTED, as it does. */
public enum XdpAction implements Action {
    ABORTED, DROP, PASS, TX, REDIRECT;

    public static XdpAction of(long r0) {
        int v = (int) r0;
        return r0 >= 0 && r0 <= 4 ? values()[v] : ABORTED;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
