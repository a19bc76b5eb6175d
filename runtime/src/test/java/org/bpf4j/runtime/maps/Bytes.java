package org.bpf4j.runtime.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bpf4j.core.object.MapSpec;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.memory.Memory;

/** Little helpers for the map tests: encodings, specs, and bytes placed on a program's stack. */
final class Bytes {
    private Bytes() {}

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static int asU32(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static long asU64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static byte[] of(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    static MapSpec spec(MapType type, int key, int value, int max) {
        return MapSpec.of("m_" + type.bpftoolName(), type, key, value, max);
    }

    static MapSpec spec(MapType type, int key, int value, int max, int flags) {
        return new MapSpec("m_" + type.bpftoolName(), type, key, value, max, flags, MapSpec.Pinning.NONE, null, null,
                null, 0, 0, MapSpec.Kind.LEGACY);
    }

    /** A memory with the registry's maps mapped in. */
    static Memory memory(MapRegistry registry) {
        Memory mem = new Memory();
        registry.mapInto(mem);
        return mem;
    }

    /** Writes bytes into stack frame 0, {@code below} bytes under the frame pointer; returns their address. */
    static long onStack(Memory mem, int below, byte[] bytes) {
        long at = Memory.stackTop(0) - below;
        mem.write(at, bytes, 0, bytes.length);
        return at;
    }

    static byte[] read(Memory mem, long address, int length) {
        byte[] out = new byte[length];
        mem.read(address, out, 0, length);
        return out;
    }
}
