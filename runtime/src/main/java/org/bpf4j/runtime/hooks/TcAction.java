package org.bpf4j.runtime.hooks;

import java.util.Locale;

/** TC's results ({@code TC_ACT_*}) in direct-action mode; values it does not know read as UNSPEC. */
public enum TcAction implements Action {
    UNSPEC(-1), OK(0), RECLASSIFY(1), SHOT(2), PIPE(3), STOLEN(4), QUEUED(5), REPEAT(6), REDIRECT(7), TRAP(8);

    // values() copies its array on every call: not per packet
    private static final TcAction[] ACTIONS = values();

    private final int code;

    TcAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TcAction of(long r0) {
        int v = (int) r0;
        for (TcAction a : ACTIONS) {
            if (a.code == v) {
                return a;
            }
        }
        return UNSPEC;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
