package org.bpf4j.kernel.attach;

import java.nio.file.Path;

/**
 * A program attached to a hook. Closing a link-based attachment detaches it unless it was pinned; netlink-based
 * ones (like {@code ip link} and {@code tc} make) stay until {@link #detach()}.
 */
public sealed interface Attachment extends AutoCloseable permits LinkAttachment, NetlinkAttachment {
    /** What is attached where, e.g. {@code portfilter on veth0 (xdp, generic, bpf_link)}. */
    String description();

    /** Removes the program from the hook. */
    void detach();

    /** Keeps a link-based attachment alive after this JVM exits; refused for netlink ones, which need no pin. */
    void pin(Path path);

    /** Releases what Java holds, leaving the attachment in place when it is pinned or netlink-based. */
    @Override
    void close();
}
