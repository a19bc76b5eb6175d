package org.bpf4j.kernel;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.bpf4j.core.api.Backend;
import org.bpf4j.core.api.BpfCollection;
import org.bpf4j.core.api.BpfProgram;
import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.MapView;
import org.bpf4j.core.api.RunResult;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.kernel.sys.TestRun;

/**
 * The kernel {@link Backend}: objects load with {@link KernelObject}, programs run as test runs
 * ({@code BPF_PROG_TEST_RUN}), maps answer through the {@code bpf()} map commands.
 */
public final class KernelBackend implements Backend {
    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public BpfCollection load(BpfObject object) {
        return of(KernelObject.load(object));
    }

    /** Wraps an already loaded object; closing the collection closes it. */
    public static BpfCollection of(KernelObject loaded) {
        List<Program> programs = loaded.programs().stream().map(Program::new).toList();
        List<View> maps = loaded.maps().stream().map(View::new).toList();
        return new Collection(loaded, programs, maps);
    }

    private record Collection(KernelObject loaded, List<Program> programs, List<View> maps) implements BpfCollection {
        @Override
        public BpfObject object() {
            return loaded.object();
        }

        @Override
        public void close() {
            loaded.close();
        }
    }

    private record Program(KernelProgram program) implements BpfProgram {
        @Override
        public String name() {
            return program.name();
        }

        @Override
        public ProgramType type() {
            return program.type();
        }

        @Override
        public RunResult run(byte[] packet) {
            TestRun.Result r;
            if (program.type() == ProgramType.SCHED_CLS || program.type() == ProgramType.SCHED_ACT) {
                // a context with ingress_ifindex = 1 (lo) makes the kernel fill wire_len and ingress_ifindex as
                // a received packet has them, which is what user space presents
                byte[] skb = new byte[192];
                skb[36] = 1;
                r = program.testRun(packet, skb, 1);
            } else {
                r = program.testRun(packet, 1);
            }
            return new RunResult(Integer.toUnsignedLong(r.retval()), r.dataOut(), r.durationNanos());
        }
    }

    /** A kernel map seen through the backend-neutral {@link MapView}: errno failures become MapExceptions. */
    private record View(KernelMap map) implements MapView {
        @Override
        public String name() {
            return map.name();
        }

        @Override
        public MapSpec spec() {
            return map.spec().orElseGet(() -> MapSpec.of(map.name(), map.type(), map.keySize(), map.valueSize(),
                    map.maxEntries()));
        }

        @Override
        public boolean isPerCpu() {
            return map.isPerCpu();
        }

        @Override
        public int cpus() {
            return map.cpus();
        }

        @Override
        public Optional<byte[]> lookup(byte[] key) {
            return call("lookup", () -> map.lookup(key));
        }

        @Override
        public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
            return call("lookup", () -> map.lookupPerCpu(key));
        }

        @Override
        public void update(byte[] key, byte[] value, long flags) {
            call("update", () -> {
                map.update(key, value, flags);
                return null;
            });
        }

        @Override
        public void delete(byte[] key) {
            call("delete", () -> {
                map.delete(key);
                return null;
            });
        }

        @Override
        public Optional<byte[]> nextKey(byte[] key) {
            return call("get next key", () -> map.nextKey(key));
        }

        @Override
        public List<byte[]> keys() {
            return call("get next key", map::keys);
        }

        @Override
        public void push(byte[] value, long flags) {
            call("push", () -> {
                map.push(value, flags);
                return null;
            });
        }

        @Override
        public Optional<byte[]> pop() {
            return call("pop", map::pop);
        }

        @Override
        public Optional<byte[]> peek() {
            return call("peek", map::peek);
        }

        @Override
        public String dumpJson(boolean pretty) {
            return call("dump", () -> map.dumpJson(pretty));
        }

        private static <T> T call(String operation, Supplier<T> op) {
            try {
                return op.get();
            } catch (BpfSyscallException e) {
                throw MapException.of(operation, e.errno());
            }
        }
    }
}
