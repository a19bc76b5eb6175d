package org.bpf4j.runtime.packet;

import java.util.List;
import org.bpf4j.core.api.Backend;
import org.bpf4j.core.api.BpfCollection;
import org.bpf4j.core.api.BpfProgram;
import org.bpf4j.core.api.MapView;
import org.bpf4j.core.api.RunResult;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.hooks.PacketMeta;

/** The user-space {@link Backend}: objects load into a {@link LoadedObject}; programs run on a {@link PacketRunner}. */
public final class UserspaceBackend implements Backend {
    @Override
    public String name() {
        return "userspace";
    }

    @Override
    public BpfCollection load(BpfObject object) {
        return new Collection(LoadedObject.load(object));
    }

    /** Wraps an already loaded object. */
    public static BpfCollection of(LoadedObject loaded) {
        return new Collection(loaded);
    }

    private record Collection(LoadedObject loaded, List<Program> programs) implements BpfCollection {
        Collection(LoadedObject loaded) {
            this(loaded, loaded.programs().stream().map(p -> new Program(loaded, p)).toList());
        }

        @Override
        public BpfObject object() {
            return loaded.object();
        }

        @Override
        public List<? extends MapView> maps() {
            return loaded.maps();
        }

        @Override
        public void close() {}
    }

    private static final class Program implements BpfProgram {
        private final LoadedObject loaded;
        private final LoadedProgram program;
        private PacketRunner runner;

        Program(LoadedObject loaded, LoadedProgram program) {
            this.loaded = loaded;
            this.program = program;
        }

        @Override
        public String name() {
            return program.name();
        }

        @Override
        public ProgramType type() {
            return program.type();
        }

        @Override
        public synchronized RunResult run(byte[] packet) {
            if (runner == null) {
                runner = loaded.runner(program, 0);
            }
            long t0 = System.nanoTime();
            runner.run(packet, packet.length, PacketMeta.NONE);
            long t = System.nanoTime() - t0;
            // as the kernel's XDP test run, the packet out starts at the metadata
            byte[] out = program.type() == ProgramType.XDP
                    ? runner.buffer().segment().asSlice(runner.buffer().dataMeta(),
                            runner.buffer().dataEnd() - runner.buffer().dataMeta()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)
                    : runner.frame();
            return new RunResult(runner.result(), out, t);
        }
    }
}
