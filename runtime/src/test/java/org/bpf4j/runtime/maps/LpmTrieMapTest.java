package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.MapException;
import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

class LpmTrieMapTest {
    private final MapRegistry registry = new MapRegistry(1);

    private LpmTrieMap trie(int dataBytes, int max) {
        return registry.create(spec(MapType.LPM_TRIE, 4 + dataBytes, 4, max, MapSpec.F_NO_PREALLOC), LpmTrieMap.class);
    }

    /** A bpf_lpm_trie_key for "a.b.c.d/len" or an IPv6 "x::y/len". */
    static byte[] key(String cidr) {
        String[] parts = cidr.split("/");
        try {
            byte[] addr = InetAddress.getByName(parts[0]).getAddress();
            byte[] k = new byte[4 + addr.length];
            System.arraycopy(u32(Integer.parseInt(parts[1])), 0, k, 0, 4);
            System.arraycopy(addr, 0, k, 4, addr.length);
            return k;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String cidr(byte[] key) {
        try {
            byte[] addr = java.util.Arrays.copyOfRange(key, 4, key.length);
            return InetAddress.getByAddress(addr).getHostAddress() + "/" + asU32(key);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int value(LpmTrieMap t, String cidr) {
        return t.lookup(key(cidr)).map(Bytes::asU32).orElse(-1);
    }

    @Test
    void ipv4LongestPrefixWins() {
        LpmTrieMap t = trie(4, 16);
        t.update(key("10.0.0.0/8"), u32(8), BpfMap.ANY);
        t.update(key("10.1.0.0/16"), u32(16), BpfMap.ANY);
        t.update(key("10.1.2.0/24"), u32(24), BpfMap.ANY);
        t.update(key("10.1.2.3/32"), u32(32), BpfMap.ANY);
        assertEquals(32, value(t, "10.1.2.3/32"));
        assertEquals(24, value(t, "10.1.2.4/32"));
        assertEquals(16, value(t, "10.1.3.4/32"));
        assertEquals(8, value(t, "10.2.3.4/32"));
        assertEquals(-1, value(t, "11.0.0.1/32"));
        assertEquals(16, value(t, "10.1.2.3/20"), "the lookup key's own prefix length limits the match");
        t.update(key("0.0.0.0/0"), u32(0), BpfMap.ANY);
        assertEquals(0, value(t, "11.0.0.1/32"), "/0 matches everything");
    }

    @Test
    void ipv4NonOctetPrefixes() {
        LpmTrieMap t = trie(4, 16);
        t.update(key("192.168.0.0/17"), u32(17), BpfMap.ANY);
        t.update(key("192.168.128.0/18"), u32(18), BpfMap.ANY);
        assertEquals(17, value(t, "192.168.127.255/32"));
        assertEquals(18, value(t, "192.168.128.1/32"));
        assertEquals(18, value(t, "192.168.191.1/32"));
        assertEquals(-1, value(t, "192.168.192.1/32"), "neither /17 (bit 17 is 1) nor /18 (bit 18 is 1)");
    }

    @Test
    void ipv6LongestPrefixWins() {
        LpmTrieMap t = trie(16, 16);
        assertEquals(128, t.maxPrefixLength());
        t.update(key("2001:db8::/32"), u32(32), BpfMap.ANY);
        t.update(key("2001:db8:1::/48"), u32(48), BpfMap.ANY);
        t.update(key("2001:db8:1:2::/64"), u32(64), BpfMap.ANY);
        t.update(key("2001:db8:1:2::1/128"), u32(128), BpfMap.ANY);
        assertEquals(128, value(t, "2001:db8:1:2::1/128"));
        assertEquals(64, value(t, "2001:db8:1:2::2/128"));
        assertEquals(48, value(t, "2001:db8:1:3::1/128"));
        assertEquals(32, value(t, "2001:db8:ffff::1/128"));
        assertEquals(-1, value(t, "2001:db9::1/128"));
    }

    @Test
    void programLookupReturnsAStableValueAddress() {
        LpmTrieMap t = trie(4, 4);
        t.update(key("10.0.0.0/8"), u32(8), BpfMap.ANY);
        Memory mem = memory(registry);
        long v = t.lookup(mem, onStack(mem, 8, key("10.9.9.9/32")), 0);
        assertNotEquals(0, v);
        assertEquals(8, mem.load32(v));
        t.update(key("10.0.0.0/8"), u32(9), BpfMap.EXIST);
        assertEquals(9, mem.load32(v));
        assertEquals(v, t.lookup(mem, onStack(mem, 8, key("10.1.1.1/32")), 0));
        assertEquals(0, t.lookup(mem, onStack(mem, 8, key("11.1.1.1/32")), 0));
        assertEquals(0, t.update(mem, onStack(mem, 8, key("11.0.0.0/8")), onStack(mem, 16, u32(11)), BpfMap.ANY, 0));
        assertEquals(11, mem.load32(t.lookup(mem, onStack(mem, 8, key("11.1.1.1/32")), 0)));
        assertEquals(0, t.delete(mem, onStack(mem, 8, key("11.0.0.0/8"))));
        assertEquals(-Errno.ENOENT, t.delete(mem, onStack(mem, 8, key("11.0.0.0/8"))));
    }

    @Test
    void updateAndDeleteMatchExactlyIgnoringBitsBeyondThePrefix() {
        LpmTrieMap t = trie(4, 4);
        t.update(key("10.1.0.0/16"), u32(1), BpfMap.ANY);
        assertEquals(Errno.EEXIST, assertThrows(MapException.class,
                () -> t.update(key("10.1.99.99/16"), u32(2), BpfMap.NOEXIST)).errno(), "same prefix, other host bits");
        t.update(key("10.1.0.0/17"), u32(3), BpfMap.NOEXIST);
        assertEquals(Errno.ENOENT, assertThrows(MapException.class, () -> t.delete(key("10.0.0.0/8"))).errno());
        assertEquals(Errno.ENOENT, assertThrows(MapException.class,
                () -> t.update(key("10.0.0.0/8"), u32(2), BpfMap.EXIST)).errno());
        t.delete(key("10.1.7.7/16"));
        assertEquals(3, value(t, "10.1.0.1/32"));
        assertEquals(-1, value(t, "10.1.200.1/32"));
        assertNull(t.checkInvariants());
    }

    @Test
    void prefixLongerThanTheDataIsEinvalAndFullTrieIsEnospc() {
        LpmTrieMap t = trie(4, 2);
        assertEquals(Errno.EINVAL, assertThrows(MapException.class,
                () -> t.update(key("10.1.2.3/33"), u32(1), BpfMap.ANY)).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> t.delete(key("10.1.2.3/33"))).errno());
        assertEquals(Errno.EINVAL, assertThrows(MapException.class, () -> t.update(key("10.1.2.3/8"), u32(1), 4))
                .errno(), "no BPF_F_LOCK for tries");
        t.update(key("10.0.0.0/8"), u32(1), BpfMap.ANY);
        t.update(key("11.0.0.0/8"), u32(1), BpfMap.ANY);
        var e = assertThrows(MapException.class, () -> t.update(key("12.0.0.0/8"), u32(1), BpfMap.ANY));
        assertEquals(Errno.ENOSPC, e.errno());
        t.update(key("11.0.0.0/8"), u32(2), BpfMap.ANY);
        assertEquals(2, value(t, "11.0.0.0/8"), "replacing in a full trie works");
    }

    @Test
    void getNextKeyFollowsTheKernelsPostOrder() {
        // The insertion order and the expected order are those of a real kernel (bpftool map dump of an
        // lpm_trie with these keys).
        LpmTrieMap t = trie(4, 8);
        for (String c : List.of("10.1.2.0/24", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.1.2.3/32",
                "0.0.0.0/0", "192.168.0.0/16")) {
            t.update(key(c), u32(1), BpfMap.ANY);
        }
        List<String> walk = new ArrayList<>();
        byte[] k = null;
        for (var n = t.nextKey(null); n.isPresent(); n = t.nextKey(k)) {
            k = n.get();
            walk.add(cidr(k));
        }
        assertEquals(List.of("10.1.2.3/32", "10.1.2.0/24", "10.1.0.0/16", "10.2.0.0/16", "10.0.0.0/8",
                "192.168.0.0/16", "0.0.0.0/0"), walk);
        assertEquals(walk, t.keys().stream().map(LpmTrieMapTest::cidr).toList());
        assertEquals("10.1.2.3/32", cidr(t.nextKey(key("172.16.0.0/12")).orElseThrow()), "missing key: first");
        assertEquals("10.1.2.3/32", cidr(t.nextKey(key("1.0.0.0/40")).orElseThrow()), "invalid key: first");
    }

    @Test
    void getNextKeyReturnsTheKeyAsGiven() {
        LpmTrieMap t = trie(4, 8);
        t.update(key("10.1.2.3/8"), u32(1), BpfMap.ANY);
        assertEquals("10.1.2.3/8", cidr(t.nextKey(null).orElseThrow()));
        assertTrue(t.nextKey(key("10.9.9.9/8")).isEmpty(), "the same prefix is the last key");
    }

    @Test
    void ipv6GetNextKeyOrder() {
        LpmTrieMap t = trie(16, 8);
        for (String c : List.of("::/0", "2001:db8::/32", "2001:db8:8000::/33", "2001:db8::/33", "fe80::/10")) {
            t.update(key(c), u32(1), BpfMap.ANY);
        }
        assertEquals(List.of("2001:db8:0:0:0:0:0:0/33", "2001:db8:8000:0:0:0:0:0/33", "2001:db8:0:0:0:0:0:0/32",
                "fe80:0:0:0:0:0:0:0/10", "0:0:0:0:0:0:0:0/0"), t.keys().stream().map(LpmTrieMapTest::cidr).toList());
    }
}
