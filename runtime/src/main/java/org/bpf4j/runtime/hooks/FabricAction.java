package org.bpf4j.runtime.hooks;

/**
 * A BPFabric function's result: the action in the upper 32 bits of r0 (0 PORT, 1 FLOOD, 2 CONTROLLER, 3 DROP,
 * 4 NEXT), the port in the lower 32 for PORT. Older functions return a bare 32-bit value instead, with
 * {@code 0xfffffffd} FLOOD, {@code 0xfffffffe} CONTROLLER and {@code 0xffffffff} DROP; those read the same.
 *
 * @param kind what to do
 * @param port the output port for PORT, else 0
 */
public record FabricAction(Kind kind, int port) implements Action {
    public enum Kind { PORT, FLOOD, CONTROLLER, DROP, NEXT }

    public static final FabricAction FLOOD = new FabricAction(Kind.FLOOD, 0);
    public static final FabricAction CONTROLLER = new FabricAction(Kind.CONTROLLER, 0);
    public static final FabricAction DROP = new FabricAction(Kind.DROP, 0);
    public static final FabricAction NEXT = new FabricAction(Kind.NEXT, 0);

    public static FabricAction of(long r0) {
        int opcode = (int) (r0 >>> 32);
        int value = (int) r0;
        return switch (opcode) {
            case 0 -> switch (value) {
                case 0xfffffffd -> FLOOD;
                case 0xfffffffe -> CONTROLLER;
                case 0xffffffff -> DROP;
                default -> new FabricAction(Kind.PORT, value);
            };
            case 1 -> FLOOD;
            case 2 -> CONTROLLER;
            case 4 -> NEXT;
            default -> DROP; // 3, and anything unknown: a switch drops what it cannot place
        };
    }

    /** The r0 a function returns for this action. */
    public long encode() {
        return switch (kind) {
            case PORT -> Integer.toUnsignedLong(port);
            case FLOOD -> 1L << 32;
            case CONTROLLER -> 2L << 32;
            case DROP -> 3L << 32;
            case NEXT -> 4L << 32;
        };
    }

    @Override
    public String label() {
        return kind == Kind.PORT ? "port-" + Integer.toUnsignedString(port) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
