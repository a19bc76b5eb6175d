package org.bpf4j.runtime.packet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;

/** The example objects of examples/obj, as the tests read them. */
final class Examples {
    private Examples() {}

    static Path dir() {
        return Path.of("../examples/obj");
    }

    static BpfObject read(String name) {
        try {
            return ObjectReader.read(dir().resolve(name + ".o"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoadedObject load(String name) {
        return LoadedObject.load(read(name));
    }
}
