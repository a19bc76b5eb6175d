package org.bpf4j.kernel.netlink;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** Network interfaces by name, as {@code ip link} shows them. */
public final class Interfaces {
    private Interfaces() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle IF_NAMETOINDEX = LINKER.downcallHandle(
            LINKER.defaultLookup().find("if_nametoindex").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    /**
     * The ifindex of an interface in the calling thread's network namespace ({@code if_nametoindex}, which asks
     * the kernel through a socket of that namespace, unlike sysfs, which shows the namespace it was mounted in).
     */
    public static int index(String name) {
        if (!name.matches("[A-Za-z0-9_.:@-]{1,15}")) {
            throw new IllegalArgumentException("not an interface name: " + name);
        }
        int index;
        try (Arena arena = Arena.ofConfined()) {
            index = (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            index = 0;
        }
        if (index <= 0) {
            throw new IllegalArgumentException("no interface " + name + " (see ip link)");
        }
        return index;
    }

    /** The MTU of an interface, or -1 when unknown. */
    public static int mtu(String name) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "mtu")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
