package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;

/**
 * bpf_ktime_get_ns, bpf_ktime_get_boot_ns, bpf_ktime_get_coarse_ns, bpf_jiffies64, bpf_get_prandom_u32,
 * bpf_get_smp_processor_id and bpf_get_numa_node_id, through misc.c's environment program.
 */
class EnvironmentHelpersTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("misc");

    record Env(long ktime1, long ktime2, long boot, long coarse, long jiffies, int rand1, int rand2, int rand3, int cpu,
            int numa) {}

    static Env env(LoadedObject obj) {
        byte[] b = G.bytes(obj, "env");
        return new Env(TestPrograms.u64(b, 0), TestPrograms.u64(b, 8), TestPrograms.u64(b, 16), TestPrograms.u64(b, 24),
                TestPrograms.u64(b, 32), TestPrograms.u32(b, 40), TestPrograms.u32(b, 44), TestPrograms.u32(b, 48),
                TestPrograms.u32(b, 52), TestPrograms.u32(b, 56));
    }

    static LoadedObject load(HelperServices services, int cpus) {
        return TestPrograms.load("misc", TestPrograms.options().withServices(services).withCpus(cpus));
    }

    static Env runOn(LoadedObject obj, int cpu) {
        PacketRunner r = obj.runner(obj.program("environment").orElseThrow(), cpu);
        run(r, params(64));
        return env(obj);
    }

    @Test
    void aFixedClockGivesEveryClockHelperItsTime() {
        LoadedObject obj = load(HelperServices.defaults().withClock(() -> 5_000_000_000L), 1);
        Env e = runOn(obj, 0);
        assertEquals(5_000_000_000L, e.ktime1());
        assertEquals(5_000_000_000L, e.ktime2());
        assertEquals(5_000_000_000L, e.boot());
        assertEquals(5_000_000_000L, e.coarse());
    }

    @Test
    void jiffiesCountAtHzFromTheKernelsInitialValue() {
        // Linux starts jiffies 300 seconds before they wrap 32 bits (INITIAL_JIFFIES), at HZ 250 on Debian: at
        // ktime 4221.945 s the kernel's bpf_jiffies64 gave 4295947728 = 4294892296 + 250 * 4221.7 (its clock and
        // the jiffies are not read at quite the same moment)
        LoadedObject obj = load(HelperServices.defaults().withClock(() -> 5_000_000_000L), 1);
        assertEquals(4_294_892_296L + 1250, runOn(obj, 0).jiffies());
        LoadedObject boot = load(HelperServices.defaults().withClock(() -> 0), 1);
        assertEquals(PacketHelpers.INITIAL_JIFFIES, runOn(boot, 0).jiffies());
        assertEquals(4_294_892_296L, PacketHelpers.INITIAL_JIFFIES);
    }

    @Test
    void ktimeIsMonotonicWithinAndAcrossRuns() {
        AtomicLong now = new AtomicLong(1_000);
        LoadedObject obj = load(HelperServices.defaults().withClock(() -> now.addAndGet(7)), 1);
        Env first = runOn(obj, 0);
        assertTrue(first.ktime2() > first.ktime1());
        Env second = runOn(obj, 0);
        assertTrue(second.ktime1() > first.ktime2());
        LoadedObject real = load(HelperServices.defaults(), 1);
        Env a = runOn(real, 0), b = runOn(real, 0);
        assertTrue(a.ktime2() >= a.ktime1() && b.ktime1() >= a.ktime2());
    }

    @Test
    void prandomDiffersPerCallAndPerCpu() {
        LoadedObject obj = load(HelperServices.defaults(), 2);
        PacketRunner[] cpus = {obj.runner(obj.program("environment").orElseThrow(), 0),
                obj.runner(obj.program("environment").orElseThrow(), 1)};
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            run(cpus[i % 2], params(64));
            Env e = env(obj);
            seen.add(e.rand1());
            seen.add(e.rand2());
            seen.add(e.rand3());
        }
        assertEquals(150, seen.size(), "150 calls, 150 values");
    }

    @Test
    void prandomIsReproducibleFromTheServicesSeed() {
        // each runner starts its CPU's sequence from the seed: the same runs give the same numbers
        Env a = runOn(load(HelperServices.defaults(), 2), 1);
        Env b = runOn(load(HelperServices.defaults(), 2), 1);
        assertEquals(a.rand1(), b.rand1());
        assertEquals(a.rand3(), b.rand3());
        Env cpu0 = runOn(load(HelperServices.defaults(), 2), 0);
        assertNotEquals(a.rand1(), cpu0.rand1(), "each CPU has its own sequence");
    }

    @Test
    void prandomUsesAllThirtyTwoBits() {
        LoadedObject obj = load(HelperServices.defaults(), 1);
        PacketRunner r = obj.runner(obj.program("environment").orElseThrow(), 0);
        int or = 0, and = -1;
        for (int i = 0; i < 64; i++) {
            run(r, params(64));
            Env e = env(obj);
            or |= e.rand1() | e.rand2() | e.rand3();
            and &= e.rand1() & e.rand2() & e.rand3();
        }
        assertEquals(-1, or);
        assertEquals(0, and);
    }

    @Test
    void smpProcessorIdIsTheRunnersCpuAndTheNumaNodeIsZero() {
        LoadedObject obj = load(HelperServices.defaults(), 4);
        for (int cpu = 0; cpu < 4; cpu++) {
            Env e = runOn(obj, cpu);
            assertEquals(cpu, e.cpu());
            assertEquals(0, e.numa());
        }
    }
}
