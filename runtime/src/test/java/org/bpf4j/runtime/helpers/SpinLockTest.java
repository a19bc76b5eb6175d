package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bpf4j.runtime.hooks.PacketMeta;
import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;

/**
 * bpf_spin_lock and bpf_spin_unlock guarding a counter in an array value that two packet threads (two runners
 * on two CPUs) update with a plain read-modify-write (misc.c's locked_count).
 */
class SpinLockTest {
    static final int PACKETS = 20_000;

    @Test
    void aLockedCounterUpdatedFromTwoCpusLosesNoUpdate() throws Exception {
        LoadedObject obj = TestPrograms.load("misc", TestPrograms.options().withCpus(2));
        byte[] frame = params(64);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] done = new Future<?>[2];
            for (int cpu = 0; cpu < 2; cpu++) {
                PacketRunner r = obj.runner(obj.program("locked_count").orElseThrow(), cpu);
                done[cpu] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PACKETS; i++) {
                        if (r.run(frame, frame.length, PacketMeta.NONE) != XdpAction.PASS) {
                            throw new AssertionError("the program could not find its counter");
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] value = obj.map("counters").orElseThrow().lookup(TestPrograms.le32(0)).orElseThrow();
        assertEquals(0, TestPrograms.u32(value, 0), "the lock is free again");
        assertEquals(2L * PACKETS, TestPrograms.u64(value, 8), "value");
        assertEquals(2L * PACKETS, TestPrograms.u64(value, 16), "updates");
    }
}
