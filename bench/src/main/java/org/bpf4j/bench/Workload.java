package org.bpf4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.bpf4j.core.asm.Assembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;

/**
 * The benchmark programs ({@code programs/*.asm}, in the conformance suite's syntax) and the memory each runs on.
 * Calling convention as in the conformance suite: r1 = address of the memory, r2 = its length.
 */
public enum Workload {
    /** Primes below 8192 with a byte-array sieve: 1028. */
    SIEVE(8 * 1024),
    /** Byte copy of 64 KiB from one half of a 128 KiB memory to the other, summing the bytes. */
    MEMCPY(128 * 1024),
    /** 16 KiB of random bytes, each dispatched through a tree of compares into one of eight cases. */
    SWITCH(16 * 1024),
    /** Two NUL-terminated strings of 4095 characters that differ at index {@link #STRCMP_DIFFERS_AT}. */
    STRCMP(8 * 1024);

    /** Where the two strings of {@link #STRCMP} differ. */
    public static final int STRCMP_DIFFERS_AT = 4000;

    private final int memorySize;

    Workload(int memorySize) {
        this.memorySize = memorySize;
    }

    /** The lower-case name, also the name of the program's resource. */
    public String programName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int memorySize() {
        return memorySize;
    }

    public static Workload of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The program's assembly source. */
    public String source() {
        String path = "/programs/" + programName() + ".asm";
        try (InputStream in = Workload.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Program program() {
        return Program.of(Assembler.assembleToSlots(source(), Syntax.CONFORMANCE));
    }

    /** The input bytes the program runs on (deterministic). */
    public byte[] input() {
        byte[] data = new byte[memorySize];
        switch (this) {
            case SIEVE -> {}
            case MEMCPY -> {
                byte[] half = new byte[memorySize / 2];
                new Random(1).nextBytes(half);
                System.arraycopy(half, 0, data, 0, half.length);
            }
            case SWITCH -> new Random(2).nextBytes(data);
            case STRCMP -> {
                int half = memorySize / 2;
                Random random = new Random(3);
                for (int i = 0; i < half - 1; i++) {
                    byte c = (byte) ('a' + random.nextInt(26));
                    data[i] = c;
                    data[half + i] = c;
                }
                data[STRCMP_DIFFERS_AT] = 'm';
                data[half + STRCMP_DIFFERS_AT] = 'x';
                // data[half - 1] and data[memorySize - 1] stay 0: the terminators
            }
        }
        return data;
    }

    /** A fresh memory with the input mapped as the low region, and the interpreter set up to run on it. */
    public Prepared prepare() {
        return prepare(Engine.INTERPRETER);
    }

    /** A fresh memory with the input mapped as the low region, and an execution of the engine set up to run on it. */
    public Prepared prepare(Engine engine) {
        Memory memory = new Memory();
        MemorySegment segment = Memory.allocate(memorySize);
        MemorySegment.copy(input(), 0, segment, ValueLayout.JAVA_BYTE, 0, memorySize);
        Region region = memory.mapLow(programName(), segment, true);
        Program program = program();
        return new Prepared(this, program, memory, region, engine.create(program, new HelperTable(), memory),
                region.address(0), memorySize);
    }

    /** A workload ready to run: {@code execution.run(address, length)}. */
    public record Prepared(Workload workload, Program program, Memory memory, Region region, Execution execution,
            long address, long length) {
        public long run() {
            return execution.run(address, length);
        }
    }
}
