package org.bpf4j.net.capture;

import java.io.IOException;

/**
 * A capture file is malformed: its message names the file, the byte offset and what is wrong, for example
 * {@code mixed.pcap: at byte offset 4242: captured length 300000 is absurd (more than 262144)}.
 *
 * <p>Readers throw only this for malformed or truncated content; other {@link IOException}s come from the
 * underlying stream.
 */
public final class CaptureFormatException extends IOException {
    private final String source;
    private final long offset;
    private final String problem;

    public CaptureFormatException(String source, long offset, String problem) {
        super(source + ": at byte offset " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
        this.problem = problem;
    }

    /** The name of the file or stream read. */
    public String source() {
        return source;
    }

    /** The byte offset, from the start of the file, of the field or record at fault. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file name and offset. */
    public String problem() {
        return problem;
    }
}
