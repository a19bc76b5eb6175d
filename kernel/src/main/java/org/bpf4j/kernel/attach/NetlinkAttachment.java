package org.bpf4j.kernel.attach;

import java.nio.file.Path;

/** An attachment made over rtnetlink (IFLA_XDP, or a clsact qdisc's bpf filter): it stays until detached. */
public final class NetlinkAttachment implements Attachment {
    private final String description;
    private final Runnable detach;

    NetlinkAttachment(String description, Runnable detach) {
        this.description = description;
        this.detach = detach;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void detach() {
        detach.run();
    }

    @Override
    public void pin(Path path) {
        throw new UnsupportedOperationException(description + " is kept by the kernel without a pin");
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return description;
    }
}
