package org.bpf4j.runtime.helpers;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The routing table, neighbour table and interfaces that {@code bpf_fib_lookup} consults in user space, set up
 * from Java as {@code ip route}, {@code ip neigh} and {@code ip link} would set them up in the kernel.
 * Thread-safe: lookups read snapshots.
 *
 * <p>As in the kernel, the lookup's input interface ({@code params->ifindex}, usually the packet's
 * {@code ingress_ifindex}: 1 for {@code PacketMeta.NONE}) must exist ({@code -ENODEV} otherwise), and so must the
 * interface a route leaves through.
 *
 * <pre>{@code
 * RoutingTable t = new RoutingTable();
 * t.addInterface(1, mac("02:00:00:00:00:01"), 1500);   // where packets come in
 * t.addInterface(2, mac("02:00:00:00:00:02"), 1500);
 * t.addRoute("10.1.0.0/16", 2, "10.0.0.254");
 * t.addNeighbor("10.0.0.254", mac("02:00:00:00:00:fe"));
 * }</pre>
 */
public final class RoutingTable {
    /** What a route does with matching traffic, as {@code ip route}'s types. */
    public enum Type { UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT }

    /** A route: destination prefix, outgoing interface, optional gateway. */
    public record Route(byte[] prefix, int length, int ifindex, byte[] gateway, Type type, int metric) {}

    public record Interface(int ifindex, byte[] mac, int mtu) {}

    public record Result(Route route, Interface out, byte[] neighborMac) {}

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> neighbors = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Interface> interfaces = new java.util.concurrent.ConcurrentHashMap<>();

    public RoutingTable addInterface(int ifindex, byte[] mac, int mtu) {
        interfaces.put(ifindex, new Interface(ifindex, mac.clone(), mtu));
        return this;
    }

    /** Adds a unicast route, {@code gateway} null for a directly connected prefix. */
    public RoutingTable addRoute(String cidr, int ifindex, String gateway) {
        return addRoute(cidr, ifindex, gateway, Type.UNICAST, 0);
    }

    public RoutingTable addRoute(String cidr, int ifindex, String gateway, Type type, int metric) {
        String[] p = cidr.split("/");
        byte[] prefix = parse(p[0]);
        int len = p.length > 1 ? Integer.parseInt(p[1]) : prefix.length * 8;
        if (len < 0 || len > prefix.length * 8) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        byte[] gw = gateway == null ? null : parse(gateway);
        if (gw != null && gw.length != prefix.length) {
            throw new IllegalArgumentException("gateway " + gateway + " is not of the route's family");
        }
        routes.add(new Route(prefix, len, ifindex, gw, type, metric));
        return this;
    }

    public RoutingTable addNeighbor(String address, byte[] mac) {
        neighbors.put(key(parse(address)), mac.clone());
        return this;
    }

    public Optional<Interface> iface(int ifindex) {
        return Optional.ofNullable(interfaces.get(ifindex));
    }

    /** The longest matching prefix (lowest metric among equals), or null. */
    public Route route(byte[] destination) {
        Route best = null;
        for (Route r : routes) {
            if (r.prefix.length == destination.length && matches(r.prefix, destination, r.length)
                    && (best == null || r.length > best.length || r.length == best.length && r.metric < best.metric)) {
                best = r;
            }
        }
        return best;
    }

    /** The MAC address of a neighbour, or null. */
    public byte[] neighbor(byte[] address) {
        return neighbors.get(key(address));
    }

    private static boolean matches(byte[] prefix, byte[] addr, int length) {
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (prefix[i] != addr[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (prefix[full] & mask) == (addr[full] & mask);
    }

    private static String key(byte[] address) {
        return java.util.HexFormat.of().formatHex(address);
    }

    /** Parses an IPv4 or IPv6 literal (never a host name). */
    static byte[] parse(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
    }

    /** Parses {@code 02:00:00:00:00:01}. */
    public static byte[] mac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    List<Route> routes() {
        return new ArrayList<>(routes);
    }

    Map<Integer, Interface> interfaces() {
        return new HashMap<>(interfaces);
    }
}
