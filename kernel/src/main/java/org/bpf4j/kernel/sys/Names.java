package org.bpf4j.kernel.sys;

/** Names as the kernel accepts them for maps and programs ({@code map_name}, {@code prog_name}). */
public final class Names {
    private Names() {}

    /** Longest name: {@code BPF_OBJ_NAME_LEN} less the NUL. */
    public static final int MAX = BpfAttr.OBJ_NAME_LEN - 1;

    /**
     * The name cut to 15 characters, with every character other than {@code [A-Za-z0-9_.]} (all the kernel takes)
     * replaced by {@code _}.
     */
    public static String objectName(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(name.length(), MAX));
        for (int i = 0; i < name.length() && b.length() < MAX; i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}
