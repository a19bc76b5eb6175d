package org.bpf4j.core.api;

import java.util.List;
import java.util.Optional;
import org.bpf4j.core.object.BpfObject;

/** An object loaded into a backend: its programs and maps by name. Closing releases them (kernel: the fds). */
public interface BpfCollection extends AutoCloseable {
    BpfObject object();

    List<? extends BpfProgram> programs();

    default Optional<BpfProgram> program(String name) {
        return programs().stream().filter(p -> p.name().equals(name)).map(p -> (BpfProgram) p).findFirst();
    }

    List<? extends MapView> maps();

    default Optional<MapView> map(String name) {
        return maps().stream().filter(m -> m.name().equals(name)).map(m -> (MapView) m).findFirst();
    }

    @Override
    void close();
}
