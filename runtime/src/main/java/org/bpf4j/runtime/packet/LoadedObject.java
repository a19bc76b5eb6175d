package org.bpf4j.runtime.packet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.core.object.SourceLine;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.helpers.HelperServices;
import org.bpf4j.runtime.helpers.KernelHelperNames;
import org.bpf4j.runtime.helpers.MapHelpers;
import org.bpf4j.runtime.helpers.PacketHelpers;
import org.bpf4j.runtime.hooks.Hook;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.core.api.MapException;
import org.bpf4j.runtime.maps.MapRegistry;
import org.bpf4j.runtime.maps.ProgArrayMap;

/**
 * A {@link BpfObject} loaded into the user-space backend: its maps created (global data initialised, program
 * arrays filled), its programs linked against them, with the helpers of their types. Create a
 * {@link PacketRunner} per packet thread to run them.
 *
 * <pre>{@code
 * LoadedObject obj = LoadedObject.load(ObjectReader.read(Path.of("portfilter.o")));
 * PacketRunner runner = obj.runner("portfilter", 0);
 * Action a = runner.run(frame, frame.length, PacketMeta.NONE);
 * }</pre>
 */
public final class LoadedObject {
    /**
     * @param cpus     packet threads (copies of per-CPU values)
     * @param services clocks, trace log, routes, BPFabric sink
     * @param type     the type to run every program as, or null to take it from each program's section
     * @param engine   what runs the programs: {@link Engine#JIT} by default
     */
    public record Options(int cpus, HelperServices services, ProgramType type, Engine engine) {
        public Options {
            if (engine == null) {
                throw new IllegalArgumentException("no engine");
            }
        }

        /** Options on the default engine, the JIT. */
        public Options(int cpus, HelperServices services, ProgramType type) {
            this(cpus, services, type, Engine.JIT);
        }

        public static Options defaults() {
            return new Options(1, HelperServices.defaults(), null, Engine.JIT);
        }

        public Options withType(ProgramType t) {
            return new Options(cpus, services, t, engine);
        }

        public Options withCpus(int n) {
            return new Options(n, services, type, engine);
        }

        public Options withServices(HelperServices s) {
            return new Options(cpus, s, type, engine);
        }

        public Options withEngine(Engine e) {
            return new Options(cpus, services, type, e);
        }
    }

    private final BpfObject object;
    private final Options options;
    private final MapRegistry registry;
    private final List<BpfMap> maps;
    private final List<LoadedProgram> programs;

    private LoadedObject(BpfObject object, Options options, MapRegistry registry, List<BpfMap> maps,
            List<LoadedProgram> programs) {
        this.object = object;
        this.options = options;
        this.registry = registry;
        this.maps = maps;
        this.programs = programs;
    }

    public static LoadedObject load(BpfObject object) {
        return load(object, Options.defaults());
    }

    /**
     * @throws LoadException when a map cannot be created, a reference cannot be resolved, or a program calls a
     *                       helper its type lacks (named, with its number and C source line)
     */
    public static LoadedObject load(BpfObject object, Options options) {
        MapRegistry registry = new MapRegistry(options.cpus());
        List<BpfMap> maps = new ArrayList<>();
        for (MapSpec spec : object.maps()) {
            try {
                maps.add(registry.create(spec)); // global data maps start with their section's bytes
            } catch (MapException | IllegalArgumentException e) {
                throw new LoadException("map " + spec.name() + ": " + e.getMessage(), e);
            }
        }
        List<LoadedProgram> programs = new ArrayList<>();
        for (ProgramSpec spec : object.programs()) {
            ProgramType type = options.type() != null ? options.type() : spec.type();
            Program code;
            try {
                code = Program.of(Linker.link(spec, maps));
            } catch (LoadException e) {
                throw located(spec, e);
            }
            HelperTable helpers = new HelperTable();
            Hook hook = runnable(type) ? Hook.of(type) : null;
            if (hook != null) {
                PacketHelpers.register(helpers, type);
                MapHelpers.register(helpers, type, registry);
                checkHelpers(spec, type, code, helpers);
            }
            programs.add(new LoadedProgram(programs.size(), spec, type, code, helpers, hook));
        }
        for (int i = 0; i < object.maps().size(); i++) {
            MapSpec spec = object.maps().get(i);
            for (Map.Entry<Integer, String> e : spec.initialPrograms().entrySet()) {
                int target = indexOf(programs, e.getValue());
                if (target < 0) {
                    throw new LoadException(-1, "map " + spec.name() + " slot " + e.getKey() + " names program "
                            + e.getValue() + ", which the object does not have");
                }
                ((ProgArrayMap) maps.get(i)).set(e.getKey(), target);
            }
        }
        return new LoadedObject(object, options, registry, List.copyOf(maps), List.copyOf(programs));
    }

    private static boolean runnable(ProgramType type) {
        return type == ProgramType.XDP || type == ProgramType.SCHED_CLS || type == ProgramType.SCHED_ACT
                || type == ProgramType.BPFABRIC;
    }

    private static void checkHelpers(ProgramSpec spec, ProgramType type, Program code, HelperTable helpers) {
        for (int at = 0; at < code.length(); at++) {
            if (code.at(at) instanceof Instruction.Call c && c.kind() == Instruction.Call.Kind.HELPER
                    && helpers.get(c.imm()) == null) {
                String name = type == ProgramType.BPFABRIC ? "helper #" + c.imm() : KernelHelperNames.of(c.imm());
                throw located(spec, new LoadException(at, "program " + spec.name() + " calls " + name + " (#" + c.imm()
                        + "), which bpf4j does not provide to " + type.name().toLowerCase() + " programs"));
            }
        }
    }

    // Adds the C source line to a refusal, when line info has it.
    private static LoadException located(ProgramSpec spec, LoadException e) {
        SourceLine line = e.index() >= 0 ? spec.lineOf(e.index()) : null;
        if (line == null) {
            return e;
        }
        return new LoadException(e.index(), e.getMessage().replaceFirst("^instruction \\d+: ", "") + " (at "
                + line.file() + ":" + line.line() + (line.text().isBlank() ? "" : ": " + line.text().strip()) + ")");
    }

    private static int indexOf(List<LoadedProgram> programs, String name) {
        for (LoadedProgram p : programs) {
            if (p.name().equals(name)) {
                return p.index();
            }
        }
        return -1;
    }

    public BpfObject object() {
        return object;
    }

    public Options options() {
        return options;
    }

    public MapRegistry registry() {
        return registry;
    }

    /** The maps, in the object's order. */
    public List<BpfMap> maps() {
        return maps;
    }

    public Optional<BpfMap> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<LoadedProgram> programs() {
        return programs;
    }

    /** The program with this function name, or the first of this section. */
    public Optional<LoadedProgram> program(String nameOrSection) {
        return programs.stream().filter(p -> p.name().equals(nameOrSection)).findFirst()
                .or(() -> programs.stream().filter(p -> p.spec().section().equals(nameOrSection)).findFirst());
    }

    /** A runner for one packet thread, starting at a program. */
    public PacketRunner runner(LoadedProgram entry, int cpu) {
        if (entry.hook() == null) {
            throw new LoadException(-1, "program " + entry.name() + " (section " + entry.spec().section() + ") has "
                    + (entry.type() == null ? "no program type" : "type " + entry.type() + ", which bpf4j cannot run on packets")
                    + ": choose xdp, tc or bpfabric");
        }
        if (cpu < 0 || cpu >= options.cpus()) {
            throw new IllegalArgumentException("cpu " + cpu + " out of range (0 to " + (options.cpus() - 1) + ")");
        }
        return new PacketRunner(this, entry, cpu);
    }
}
