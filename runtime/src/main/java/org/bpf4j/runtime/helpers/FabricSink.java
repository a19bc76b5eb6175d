package org.bpf4j.runtime.helpers;

import java.util.ArrayList;
import java.util.List;

/** Where BPFabric's {@code bpf_mirror} and {@code bpf_notify} deliver: the switch's ports and its controller. */
public interface FabricSink {
    /** A copy of a packet to send out of a port. */
    void mirror(int cpu, int port, byte[] packet);

    /** A message for the controller. */
    void notify(int cpu, int id, byte[] data);

    /** A copy of a packet mirrored to a port. */
    record Mirrored(int port, byte[] packet) {}

    /** A notification for the controller. */
    record Notification(int id, byte[] data) {}

    /** Keeps what it is given, for tests and the CLI. Thread-safe. */
    final class Collecting implements FabricSink {
        private final List<Mirrored> mirrored = new ArrayList<>();
        private final List<Notification> notifications = new ArrayList<>();

        @Override
        public synchronized void mirror(int cpu, int port, byte[] packet) {
            mirrored.add(new Mirrored(port, packet));
        }

        @Override
        public synchronized void notify(int cpu, int id, byte[] data) {
            notifications.add(new Notification(id, data));
        }

        public synchronized List<Mirrored> mirrored() {
            return List.copyOf(mirrored);
        }

        public synchronized List<Notification> notifications() {
            return List.copyOf(notifications);
        }
    }
}
