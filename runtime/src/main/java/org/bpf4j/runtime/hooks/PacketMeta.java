package org.bpf4j.runtime.hooks;

/**
 * What a packet carries besides its bytes, as a hook presents it to a program.
 *
 * @param ingressIfindex interface the packet arrived on (XDP ingress_ifindex, TC ingress_ifindex/ifindex)
 * @param rxQueue        receive queue (XDP rx_queue_index, TC queue_mapping)
 * @param timestampNanos arrival time, nanoseconds since the epoch (BPFabric sec/nsec, TC tstamp)
 * @param inPort         BPFabric's input port
 */
public record PacketMeta(int ingressIfindex, int rxQueue, long timestampNanos, int inPort) {
    public static final PacketMeta NONE = new PacketMeta(1, 0, 0, 0);
}
