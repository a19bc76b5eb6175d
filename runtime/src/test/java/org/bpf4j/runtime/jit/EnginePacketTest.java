package org.bpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.ProgramType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.helpers.HelperServices;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.memory.Region;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.LoadedProgram;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The example objects (clang-compiled XDP, TC and BPFabric programs) on both engines, packet by packet: the sample
 * frames and seeded mutations of them (truncated, bytes changed). The same action, r0, frame, context, redirect
 * target and program at the end of the tail calls, and the same map contents afterwards.
 */
class EnginePacketTest {
    private static final Path EXAMPLES = Path.of("../examples");

    static List<byte[]> frames() throws IOException {
        List<byte[]> base = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("packets"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hex")).sorted().toList()) {
                String text = Files.readString(f).replaceAll("#[^\n]*", "");
                String[] tokens = text.trim().split("\\s+");
                byte[] b = new byte[tokens.length];
                for (int i = 0; i < tokens.length; i++) {
                    b[i] = (byte) Integer.parseInt(tokens[i], 16);
                }
                base.add(b);
            }
        }
        assertFalse(base.isEmpty());
        List<byte[]> out = new ArrayList<>(base);
        var rnd = new SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
            byte[] b = base.get(rnd.nextInt(base.size())).clone();
            if (rnd.nextInt(3) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            }
            for (int k = rnd.nextInt(4); k > 0 && b.length > 0; k--) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
            }
            if (rnd.nextInt(10) == 0) {
                // a port from the examples' rules: 22, 23, 53, 80, 443
                int[] ports = {22, 23, 53, 80, 443};
                if (b.length >= 38) {
                    int p = ports[rnd.nextInt(ports.length)];
                    b[36] = (byte) (p >> 8);
                    b[37] = (byte) p;
                }
            }
            out.add(b);
        }
        return out;
    }

    static LoadedObject load(String name, Engine engine) throws IOException {
        var options = LoadedObject.Options.defaults()
                .withServices(HelperServices.defaults().withClock(() -> 1_000_000_000L))
                .withEngine(engine);
        if (name.startsWith("fabric")) {
            options = options.withType(ProgramType.BPFABRIC);
        }
        return LoadedObject.load(ObjectReader.read(EXAMPLES.resolve("obj").resolve(name + ".o")), options);
    }

    static String outcome(PacketRunner r, byte[] frame) {
        String what;
        try {
            what = r.run(frame.clone(), frame.length, PacketMeta.NONE) + " r0=" + r.result() + " last="
                    + r.lastProgram().name() + " redirect=" + r.redirectTarget();
        } catch (BpfFault f) {
            what = "fault " + f.getMessage();
        }
        return what + " frame=" + Arrays.toString(r.frame()) + " context="
                + Arrays.toString(r.context().toArray(ValueLayout.JAVA_BYTE));
    }

    static List<String> maps(LoadedObject o) {
        List<String> out = new ArrayList<>();
        for (BpfMap m : o.maps()) {
            for (Region region : m.regions()) {
                out.add(m.name() + " " + Arrays.toString(region.segment().toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleBehavesTheSameOnBothEngines() throws IOException {
        List<byte[]> frames = frames();
        List<String> names;
        try (Stream<Path> files = Files.list(EXAMPLES.resolve("obj"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".o"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
        }
        assertTrue(names.size() >= 8, names::toString);
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            LoadedObject interp = load(name, Engine.INTERPRETER);
            LoadedObject jit = load(name, Engine.JIT);
            int runnable = 0;
            java.util.Set<String> actions = new java.util.TreeSet<>();
            for (int p = 0; p < interp.programs().size(); p++) {
                LoadedProgram ip = interp.programs().get(p);
                if (ip.hook() == null) {
                    continue;
                }
                runnable++;
                PacketRunner a = interp.runner(ip, 0);
                PacketRunner b = jit.runner(jit.programs().get(p), 0);
                for (int i = 0; i < frames.size(); i++) {
                    String want = outcome(a, frames.get(i));
                    assertEquals(want, outcome(b, frames.get(i)), name + "/" + ip.name() + ", frame " + i);
                    actions.add(want.substring(0, want.indexOf(' ')));
                }
            }
            assertTrue(runnable > 0);
            System.out.println(name + ": " + runnable + " programs, outcomes " + actions);
            assertEquals(maps(interp), maps(jit), name + ": maps");
        }));
    }
}
