package org.bpf4j.kernel.attach;

import java.nio.file.Path;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.Fd;

/** An attachment through a {@code bpf_link} (XDP or tcx): it lives as long as its fd, or its pin. */
public final class LinkAttachment implements Attachment {
    private final Fd link;
    private final String description;
    private Path pinned;

    LinkAttachment(Fd link, String description) {
        this.link = link;
        this.description = description;
    }

    /** Opens a pinned link, to detach it (e.g. from another process). */
    public static LinkAttachment openPinned(Path path) {
        return new LinkAttachment(Bpf.objGet(path.toString(), 0), "link pinned at " + path);
    }

    public Fd fd() {
        return link;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void detach() {
        Bpf.linkDetach(link.get());
        if (pinned != null) {
            try {
                java.nio.file.Files.deleteIfExists(pinned);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("detached, but cannot remove the pin " + pinned, e);
            }
        }
    }

    @Override
    public void pin(Path path) {
        Bpf.objPin(link.get(), path.toString());
        pinned = path;
    }

    /** Removes a pin made by {@link #pin} without detaching; closing then detaches. */
    public void unpin() throws java.io.IOException {
        if (pinned != null) {
            java.nio.file.Files.deleteIfExists(pinned);
            pinned = null;
        }
    }

    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
