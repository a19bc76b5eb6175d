package org.bpf4j.cli;

import java.nio.file.Path;

/** The project directory, where bundled examples live (set by the launcher; else the working directory). */
final class Home {
    private Home() {}

    static Path dir() {
        String home = System.getProperty("bpf4j.home", System.getenv("BPF4J_HOME"));
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }
}
