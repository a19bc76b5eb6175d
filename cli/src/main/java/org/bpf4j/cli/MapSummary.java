package org.bpf4j.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.runtime.maps.BpfMap;

/** Short, human summaries of counter maps, for the demo output. */
final class MapSummary {
    private MapSummary() {}

    /** {@code key: count} for every non-zero 64-bit counter of a map with 4-byte keys, per-CPU values summed. */
    static String countersPerKey(BpfMap m) {
        List<String> parts = new ArrayList<>();
        for (byte[] key : m.keys()) {
            long sum = 0;
            if (m.isPerCpu()) {
                for (byte[] v : m.lookupPerCpu(key).orElse(List.of())) {
                    sum += le64(v);
                }
            } else {
                sum = m.lookup(key).map(MapSummary::le64).orElse(0L);
            }
            if (sum != 0) {
                parts.add(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt() + ": " + sum);
            }
        }
        return parts.isEmpty() ? "(all zero)" : String.join(", ", parts);
    }

    private static long le64(byte[] v) {
        return v.length >= 8 ? ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
    }
}
