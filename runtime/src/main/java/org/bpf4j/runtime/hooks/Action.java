package org.bpf4j.runtime.hooks;

/** What a program decided for a packet, in its program type's terms. */
public sealed interface Action permits XdpAction, TcAction, FabricAction {
    /** A short lowercase name for summaries and file names: {@code pass}, {@code drop}, {@code port-3}. */
    String label();
}
