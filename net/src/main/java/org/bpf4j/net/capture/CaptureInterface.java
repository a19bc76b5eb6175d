package org.bpf4j.net.capture;

/**
 * An interface packets were captured on: in pcap files the single implicit one, in pcapng files one
 * Interface Description Block.
 *
 * @param index its index among all interfaces of the file, as in {@link Packet#interfaceIndex()}
 * @param section the 0-based pcapng section it belongs to (0 for pcap)
 * @param linkType its {@link LinkType} number
 * @param snapLength the most bytes captured per packet, 0 when unlimited
 * @param timestampResolution the pcapng {@code if_tsresol} byte: bit 7 clear, a resolution of 10^-n seconds,
 *     set, 2^-n; 6 (microseconds) or 9 (nanoseconds) for pcap
 * @param timestampOffsetSeconds the pcapng {@code if_tsoffset}, seconds added to every timestamp (0 if absent)
 */
public record CaptureInterface(int index, int section, int linkType, long snapLength, int timestampResolution,
        long timestampOffsetSeconds) {

    /** Whether timestamps are in units of nanoseconds or finer. */
    public boolean nanosecondResolution() {
        boolean binary = (timestampResolution & 0x80) != 0;
        int n = timestampResolution & 0x7f;
        return binary ? n >= 30 : n >= 9;
    }
}
