package org.bpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.bpf4j.runtime.memory.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The benchmark programs written by hand in Java, instruction for instruction, for two reference points: through
 * the same checked {@link Memory} accessors the engines use ({@code checkedMemory}: what any engine that checks every
 * access as bpf4j does can at best reach), and on a plain {@code byte[]} ({@code plainArray}: no checks at all).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar JavaBaselineBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JavaBaselineBenchmark {

    @Param({"sieve", "memcpy", "switch", "strcmp"})
    public String program;

    private Workload workload;
    private Memory memory;
    private long address;
    private long length;
    private byte[] bytes;

    @Setup
    public void setup() {
        workload = Workload.of(program);
        Workload.Prepared p = workload.prepare();
        memory = p.memory();
        address = p.address();
        length = p.length();
        bytes = workload.input();
        long want = p.run();
        if (checkedMemory() != want || plainArray() != want) {
            throw new IllegalStateException(program + ": the Java version computes something else");
        }
    }

    @Benchmark
    public long checkedMemory() {
        return switch (workload) {
            case SIEVE -> sieve(memory, address, length);
            case MEMCPY -> memcpy(memory, address, length);
            case SWITCH -> dispatch(memory, address, length);
            case STRCMP -> strcmp(memory, address, length);
        };
    }

    @Benchmark
    public long plainArray() {
        return switch (workload) {
            case SIEVE -> sieve(bytes);
            case MEMCPY -> memcpy(bytes);
            case SWITCH -> dispatch(bytes);
            case STRCMP -> strcmp(bytes);
        };
    }

    // ---- through Memory, as sieve.asm, memcpy.asm, switch.asm and strcmp.asm do it

    static long sieve(Memory m, long base, long n) {
        for (long i = 0; Long.compareUnsigned(i, n) < 0; i += 8) {
            m.store64(base + i, 0);
        }
        long count = 0;
        for (long i = 2; Long.compareUnsigned(i, n) < 0; i++) {
            if (m.load8(base + i) == 0) {
                count++;
                for (long j = i * i; Long.compareUnsigned(j, n) < 0; j += i) {
                    m.store8(base + j, 1);
                }
            }
        }
        return count;
    }

    static long memcpy(Memory m, long base, long n) {
        long half = n >>> 1, sum = 0;
        if (half == 0) {
            return 0;
        }
        long src = base, dst = base + half, end = dst;
        do {
            long b = m.load8(src);
            m.store8(dst, b);
            sum += b;
            src++;
            dst++;
        } while (Long.compareUnsigned(src, end) < 0);
        return sum;
    }

    static long dispatch(Memory m, long base, long n) {
        long acc = 0, end = base + n;
        for (long p = base; Long.compareUnsigned(p, end) < 0; p++) {
            acc = step(acc, m.load8(p));
        }
        return acc;
    }

    static long strcmp(Memory m, long base, long n) {
        long a = base, b = base + (n >>> 1);
        while (true) {
            long x = m.load8(a), y = m.load8(b);
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
            a++;
            b++;
        }
    }

    private static long step(long acc, long b) {
        return switch ((int) (b & 7)) {
            case 0 -> acc + 1;
            case 1 -> acc + b;
            case 2 -> acc - b;
            case 3 -> acc ^ 0x5a;
            case 4 -> acc * 3;
            case 5 -> acc + (acc >>> 3);
            case 6 -> acc ^ (b << 8);
            default -> acc - 7;
        };
    }

    // ---- on a byte[], unchecked but for Java's own bounds checks

    static long sieve(byte[] a) {
        java.util.Arrays.fill(a, (byte) 0);
        long count = 0;
        int n = a.length;
        for (int i = 2; i < n; i++) {
            if (a[i] == 0) {
                count++;
                for (long j = (long) i * i; j < n; j += i) {
                    a[(int) j] = 1;
                }
            }
        }
        return count;
    }

    static long memcpy(byte[] a) {
        int half = a.length / 2;
        long sum = 0;
        for (int i = 0; i < half; i++) {
            int b = a[i] & 0xff;
            a[half + i] = (byte) b;
            sum += b;
        }
        return sum;
    }

    static long dispatch(byte[] a) {
        long acc = 0;
        for (byte x : a) {
            acc = step(acc, x & 0xff);
        }
        return acc;
    }

    static long strcmp(byte[] a) {
        int half = a.length / 2, i = 0;
        while (a[i] == a[half + i] && a[i] != 0) {
            i++;
        }
        return (a[i] & 0xff) - (a[half + i] & 0xff);
    }
}
