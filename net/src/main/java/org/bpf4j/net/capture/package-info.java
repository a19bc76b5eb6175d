/**
 * Packet captures, read and written: classic pcap and pcapng.
 *
 * <p>{@link org.bpf4j.net.capture.CaptureReader#open(java.nio.file.Path)} tells the format from the first four
 * bytes and streams {@link org.bpf4j.net.capture.Packet}s (or fills a reusable
 * {@link org.bpf4j.net.capture.PacketBuffer}); {@link org.bpf4j.net.capture.CaptureWriter} writes either format.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Timestamps are nanoseconds since the epoch in a {@code long} (up to 2262); finer pcapng resolutions are
 *       truncated, and a timestamp beyond that range is a format error.
 *   <li>pcap: both magic numbers (microseconds, nanoseconds) in both byte orders; version 2.x; the link type
 *       is the low 16 bits of the header field. We write little-endian, version 2.4, snapshot length 262144.
 *   <li>pcapng: sections in either byte order, interfaces numbered across the whole file (as Wireshark does),
 *       {@code if_tsresol} (any 10^-n or 2^-n) and {@code if_tsoffset}; Enhanced, Simple (timestamp 0) and
 *       obsolete Packet Blocks; every other block and option is skipped without being buffered. We write one
 *       Section Header Block, one Interface Description Block per interface ({@code if_tsresol} = 9 when
 *       nanosecond) and Enhanced Packet Blocks.
 *   <li>Errors: a captured length above 262144, above the snapshot length (when non-zero) or above the original
 *       length; a block length below 12, not a multiple of 4 or different in its trailer; a packet of an
 *       undescribed interface; an option overrunning its block; all are
 *       {@link org.bpf4j.net.capture.CaptureFormatException}s naming the file, the byte offset and the fault.
 *   <li>A record cut by the end of the file is an error by default ({@link
 *       org.bpf4j.net.capture.TruncationPolicy#FAIL}, as tshark reports it); {@link
 *       org.bpf4j.net.capture.TruncationPolicy#WARN} ends the packets there instead and records a warning in
 *       {@link org.bpf4j.net.capture.CaptureReader#warnings()}. A cut file header is always an error.
 * </ul>
 */
package org.bpf4j.net.capture;
