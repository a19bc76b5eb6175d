package org.bpf4j.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces made by a test with {@code ip netns}, and code run inside one: a platform thread that
 * {@code setns}es into it, so sockets it opens and netlink requests it sends live there. Everything made is
 * removed by {@link #close()}.
 */
final class NetNs implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000, O_RDONLY = 0;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    final String name;

    NetNs(String name) throws IOException, InterruptedException {
        this.name = name;
        sh("ip", "netns", "del", name); // a leftover of an aborted run
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** Runs a command, failing with its output when it fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    /** Runs a command, ignoring failure. */
    static void sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // cleanup is best effort
        }
    }

    /** Runs code inside the namespace, on a thread of its own, and returns what it returns. */
    <T> T inside(Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            try {
                enter();
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Starts code inside the namespace in the background (a server, say). */
    CompletableFuture<Void> background(Callable<Void> body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("netns-bg-" + name).unstarted(() -> {
            try {
                enter();
                body.call();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        t.start();
        return done;
    }

    private void enter() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/var/run/netns/" + name), O_RDONLY);
            if (fd < 0) {
                throw new IOException("cannot open /var/run/netns/" + name);
            }
            int r = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (r != 0) {
                throw new IOException("setns into " + name + " failed");
            }
        }
    }

    @Override
    public void close() {
        sh("ip", "netns", "del", name);
    }

    static List<String> ipAddr(String ns, String dev, String cidr) {
        return List.of("ip", "-n", ns, "addr", "add", cidr, "dev", dev);
    }
}
