/**
 * Packet generation for tests and examples: {@link org.bpf4j.net.gen.Frames} builds Ethernet, 802.1Q, ARP,
 * IPv4, IPv6, TCP, UDP, ICMP, ICMPv6 and DNS with correct checksums; {@link org.bpf4j.net.gen.ExampleCapture}
 * builds the reproducible example capture and its per-frame ground truth.
 */
package org.bpf4j.net.gen;
