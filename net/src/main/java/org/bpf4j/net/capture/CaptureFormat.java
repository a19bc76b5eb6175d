package org.bpf4j.net.capture;

/** The two capture file formats this package reads and writes. */
public enum CaptureFormat {
    /** The classic libpcap format: one file header, then records; microsecond or nanosecond timestamps. */
    PCAP,
    /** The pcapng block format (draft-ietf-opsawg-pcapng): sections, interfaces and packet blocks. */
    PCAPNG
}
