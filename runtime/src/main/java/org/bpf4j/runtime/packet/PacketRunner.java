package org.bpf4j.runtime.packet;

import java.lang.foreign.MemorySegment;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.helpers.PacketState;
import org.bpf4j.runtime.hooks.Action;
import org.bpf4j.runtime.hooks.Hook;
import org.bpf4j.runtime.hooks.PacketBuffer;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * Runs a loaded program on packets, in one thread: its own memory (the object's maps mapped in), packet buffer,
 * context and executions (on the engine of the object's options). A run allocates nothing; tail calls switch to the
 * target program's execution.
 *
 * <p>Not thread-safe: one runner per packet thread, each with its own {@code cpu}.
 */
public final class PacketRunner {
    private final LoadedObject object;
    private final LoadedProgram entry;
    private final Memory memory = new Memory();
    private final PacketBuffer buffer;
    private final MemorySegment context;
    private final Region contextRegion;
    private final PacketState state;
    private final Execution[] executions;
    private final long[] args = new long[2];
    private long result;
    private int lastProgram;
    private int mapsSeen;

    PacketRunner(LoadedObject object, LoadedProgram entry, int cpu) {
        this.object = object;
        this.entry = entry;
        object.registry().mapInto(memory);
        this.mapsSeen = object.registry().generation();
        this.buffer = new PacketBuffer(memory);
        Hook hook = entry.hook();
        this.context = Memory.allocate(hook.contextSize());
        // XDP's context is read-only to programs; TC's has writable fields (mark, priority, cb...)
        this.contextRegion = memory.mapAt(Memory.CONTEXT_REGION, "context", context, 0,
                hook != org.bpf4j.runtime.hooks.XdpHook.INSTANCE);
        this.state = new PacketState(buffer, context, hook, cpu, object.options().services());
        this.executions = new Execution[object.programs().size()];
    }

    private Execution execution(int program) {
        Execution e = executions[program];
        if (e == null) {
            LoadedProgram p = object.programs().get(program);
            e = object.options().engine().create(p.program(), p.helpers(), memory).attach(state);
            executions[program] = e;
        }
        return e;
    }

    /**
     * Runs the program on a frame and returns its action. The frame as the program left it is then in
     * {@link #frame()}; r0 in {@link #result()}.
     *
     * @throws org.bpf4j.runtime.BpfFault when the program faults
     */
    public Action run(byte[] frame, int length, PacketMeta meta) {
        if (object.registry().generation() != mapsSeen) {
            // the control plane created maps (inner maps, say) since the last packet
            mapsSeen = object.registry().generation();
            object.registry().mapInto(memory);
        }
        state.reset();
        buffer.load(frame, length);
        Hook hook = entry.hook();
        hook.enter(buffer, context, meta, contextRegion.start(), args);
        int program = entry.index();
        long r0 = execution(program).run(args[0], args[1]);
        for (int next; (next = state.takeTailCall()) >= 0; ) {
            program = next;
            r0 = execution(program).run(args[0], args[1]);
        }
        lastProgram = program;
        result = r0;
        return hook.action(r0);
    }

    /** r0 of the last run. */
    public long result() {
        return result;
    }

    /** The program that ended the last run (the entry, or the last tail call's target). */
    public LoadedProgram lastProgram() {
        return object.programs().get(lastProgram);
    }

    /** The frame as the last run left it. */
    public byte[] frame() {
        return buffer.frame();
    }

    public PacketBuffer buffer() {
        return buffer;
    }

    /** The context as the last run left it (TC: mark, priority...). */
    public MemorySegment context() {
        return context;
    }

    /** Redirect target of the last run (ifindex, cpu or queue), or -1. */
    public int redirectTarget() {
        return state.redirectIfindex();
    }

    public LoadedProgram entry() {
        return entry;
    }

    public Memory memory() {
        return memory;
    }
}
