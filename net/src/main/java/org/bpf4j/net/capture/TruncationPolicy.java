package org.bpf4j.net.capture;

/**
 * What a {@link CaptureReader} does when the file ends in the middle of a record or block, the usual
 * state of a capture whose writer was killed.
 */
public enum TruncationPolicy {
    /** Throw a {@link CaptureFormatException} naming the offset of the cut record (the default, as tshark does). */
    FAIL,
    /**
     * End the packets before the cut record and record a warning, available from {@link CaptureReader#warnings()}.
     * Only a cut at the end of the file is tolerated: every other malformation still throws.
     */
    WARN
}
