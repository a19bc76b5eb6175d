package org.bpf4j.runtime.helpers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bpf4j.core.elf.ObjectReader;
import org.bpf4j.core.object.BpfObject;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;

/**
 * The clang-compiled programs of src/test/resources/helpers (sources, Makefile and objects there), how the tests
 * build their frames, and how they read a program's global variables.
 *
 * <p>The programs take their parameters from the frame: little-endian u32 words from offset 0 (see common.h),
 * followed here by filler bytes {@code (i % 251) + 1}, so that the same frame drives a program in bpf4j and in
 * the kernel.
 */
final class TestPrograms {
    private TestPrograms() {}

    /**
     * The engine the helper tests run on: the reference interpreter unless {@code -Dbpf4j.test.engine=jit}.
     * The helpers are the same on both; the kernel agreement tests run on both anyway.
     */
    static final Engine ENGINE = "jit".equalsIgnoreCase(System.getProperty("bpf4j.test.engine"))
            ? Engine.JIT : Engine.INTERPRETER;

    static Path path(String name) {
        var url = TestPrograms.class.getClassLoader().getResource("helpers/" + name + ".o");
        if (url == null) {
            throw new IllegalStateException("no helpers/" + name + ".o on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static BpfObject read(String name) {
        try {
            return ObjectReader.read(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoadedObject.Options options() {
        return LoadedObject.Options.defaults().withEngine(ENGINE);
    }

    static LoadedObject load(String name) {
        return load(name, options());
    }

    static LoadedObject load(String name, LoadedObject.Options options) {
        return LoadedObject.load(read(name), options);
    }

    static PacketRunner runner(LoadedObject obj, String program) {
        return obj.runner(obj.program(program).orElseThrow(), 0);
    }

    /** A frame of {@code length} bytes: the parameter words, then filler. */
    static byte[] params(int length, int... words) {
        byte[] f = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        for (int i = 4 * words.length; i < length; i++) {
            f[i] = (byte) (i % 251 + 1);
        }
        return f;
    }

    static org.bpf4j.runtime.hooks.Action run(PacketRunner r, byte[] frame) {
        return r.run(frame, frame.length, PacketMeta.NONE);
    }

    /** r0 as the kernel's test run reports it: a u32, here sign-extended. */
    static int ret(PacketRunner r) {
        return (int) r.result();
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static int u16(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(at) & 0xffff;
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /**
     * The global variables of an object, read from its ELF symbol table: name to section and offset. (BTF's
     * DATASEC records have offset 0 in a clang object; the loader fills them in, the symbols have them.)
     */
    static final class Globals {
        record Variable(String section, int offset, int size) {}

        private final Map<String, Variable> vars = new HashMap<>();

        Globals(String object) {
            try {
                parse(Files.readAllBytes(path(object)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void parse(byte[] elf) {
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(0x28);
            int shentsize = b.getShort(0x3a) & 0xffff, shnum = b.getShort(0x3c) & 0xffff;
            int shstrndx = b.getShort(0x3e) & 0xffff;
            long[] offsets = new long[shnum], sizes = new long[shnum];
            int[] names = new int[shnum], types = new int[shnum], links = new int[shnum];
            for (int i = 0; i < shnum; i++) {
                int at = (int) (shoff + (long) i * shentsize);
                names[i] = b.getInt(at);
                types[i] = b.getInt(at + 4);
                offsets[i] = b.getLong(at + 0x18);
                sizes[i] = b.getLong(at + 0x20);
                links[i] = b.getInt(at + 0x28);
            }
            for (int s = 0; s < shnum; s++) {
                if (types[s] != 2) { // SHT_SYMTAB
                    continue;
                }
                int strtab = links[s];
                for (long at = offsets[s]; at < offsets[s] + sizes[s]; at += 24) {
                    int name = b.getInt((int) at);
                    int info = b.get((int) at + 4) & 0xff;
                    int shndx = b.getShort((int) at + 6) & 0xffff;
                    if ((info & 0xf) != 1 || shndx == 0 || shndx >= shnum) { // STT_OBJECT in a section
                        continue;
                    }
                    vars.put(string(elf, offsets[strtab] + name), new Variable(
                            string(elf, offsets[shstrndx] + names[shndx]), (int) b.getLong((int) at + 8),
                            (int) b.getLong((int) at + 16)));
                }
            }
        }

        private static String string(byte[] elf, long at) {
            int end = (int) at;
            while (elf[end] != 0) {
                end++;
            }
            return new String(elf, (int) at, end - (int) at, StandardCharsets.ISO_8859_1);
        }

        Variable variable(String name) {
            Variable v = vars.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no global " + name + " (have " + vars.keySet() + ")");
            }
            return v;
        }

        /** The current bytes of a global, through its section's map (.bss, .data). */
        byte[] bytes(LoadedObject obj, String name) {
            Variable v = variable(name);
            BpfMap m = obj.map(v.section()).orElseThrow();
            byte[] all = m.lookup(new byte[4]).orElseThrow();
            return java.util.Arrays.copyOfRange(all, v.offset(), v.offset() + v.size());
        }

        /** Writes a global (the whole section value is read, patched and written back). */
        void set(LoadedObject obj, String name, byte[] value) {
            Variable v = variable(name);
            BpfMap m = obj.map(v.section()).orElseThrow();
            byte[] all = m.lookup(new byte[4]).orElseThrow();
            System.arraycopy(value, 0, all, v.offset(), Math.min(value.length, v.size()));
            m.update(new byte[4], all);
        }

        long u64(LoadedObject obj, String name, int at) {
            return TestPrograms.u64(bytes(obj, name), at);
        }

        int u32(LoadedObject obj, String name, int at) {
            return TestPrograms.u32(bytes(obj, name), at);
        }
    }
}
