package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.le32;
import static org.bpf4j.runtime.helpers.TestPrograms.le64;
import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.maps.BpfMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpf_loop and bpf_for_each_map_elem, whose callbacks are functions of the program (misc.c). The expectations
 * are what the kernel's test run gave for the same frames (Linux 6.18, bpftool prog run and map dump).
 */
class CallbackHelpersTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("misc");
    static final int NONE = 0xffffffff;

    final LoadedObject obj = TestPrograms.load("misc");

    @BeforeEach
    void fill() {
        BpfMap numbers = obj.map("numbers").orElseThrow();
        for (int i = 0; i < 8; i++) {
            numbers.update(le32(i), le64(i + 1));
        }
        BpfMap prices = obj.map("prices").orElseThrow();
        for (int k : new int[] {100, 200, 300}) {
            prices.update(le32(k), le64(k / 100));
        }
    }

    // ---- bpf_loop

    @ParameterizedTest(name = "bpf_loop({0}), stop at {1}: {2}, {3} calls")
    @CsvSource({
        "10, 3, 4, 4, 6",          // the callback said stop at index 3: i + 1
        "10, -1, 10, 10, 45",
        "0, 0, 0, 0, 0",
        "1, 0, 1, 1, 0",
    })
    void bpfLoopCallsTheCallbackUntilItSaysStop(int n, int stopAt, int expected, int calls, long indexSum) {
        PacketRunner r = TestPrograms.runner(obj, "loop");
        run(r, params(64, n, stopAt, 0));
        assertEquals(expected, ret(r));
        assertEquals(calls, G.u32(obj, "loop_seen", 4));
        assertEquals(indexSum, G.u64(obj, "loop_seen", 8));
    }

    @Test
    void bpfLoopRunsUpToOneShiftedLeftByTwentyThreeTimes() {
        PacketRunner r = TestPrograms.runner(obj, "loop");
        run(r, params(64, 1 << 23, NONE, 0));
        assertEquals(1 << 23, ret(r));
        assertEquals(1 << 23, G.u32(obj, "loop_seen", 4));
    }

    @ParameterizedTest(name = "bpf_loop({0}, flags {1}): {2}")
    @CsvSource({
        "8388609, 0, -7",          // (1 << 23) + 1: -E2BIG
        "-1, 0, -7",
        "5, 1, -22",               // any flags: -EINVAL, checked first
        "8388609, 1, -22",
    })
    void bpfLoopRefusesTooManyLoopsAndAnyFlagsWithoutCalling(int n, int flags, int expected) {
        PacketRunner r = TestPrograms.runner(obj, "loop");
        run(r, params(64, n, NONE, flags));
        assertEquals(expected, ret(r));
        assertEquals(0, G.u32(obj, "loop_seen", 4), "no calls");
    }

    // ---- bpf_for_each_map_elem

    record Sum(int visited, long sum, long ret) {}

    Sum forEach(int which, int stopKey, int flags) {
        PacketRunner r = TestPrograms.runner(obj, "for_each");
        run(r, params(64, which, stopKey, flags));
        return new Sum(G.u32(obj, "sum_seen", 4), G.u64(obj, "sum_seen", 8), G.u64(obj, "for_each_ret", 0));
    }

    @Test
    void forEachOverAnArrayVisitsEveryIndexAndMayWriteValues() {
        assertEquals(new Sum(8, 36, 8), forEach(0, NONE, 0));
        assertEquals(1001, TestPrograms.u64(obj.map("numbers").orElseThrow().lookup(le32(0)).orElseThrow(), 0));
        assertEquals(1008, TestPrograms.u64(obj.map("numbers").orElseThrow().lookup(le32(7)).orElseThrow(), 0));
    }

    @Test
    void forEachOverAnArrayStopsWhenTheCallbackSaysSoAndCountsThatElement() {
        assertEquals(new Sum(3, 6, 3), forEach(0, 2, 0));
        assertEquals(1003, TestPrograms.u64(obj.map("numbers").orElseThrow().lookup(le32(2)).orElseThrow(), 0));
        assertEquals(4, TestPrograms.u64(obj.map("numbers").orElseThrow().lookup(le32(3)).orElseThrow(), 0));
    }

    @Test
    void forEachOverAHashVisitsEveryEntry() {
        assertEquals(new Sum(3, 6, 3), forEach(1, NONE, 0));
        for (int k : new int[] {100, 200, 300}) {
            assertEquals(1000 + k / 100,
                    TestPrograms.u64(obj.map("prices").orElseThrow().lookup(le32(k)).orElseThrow(), 0));
        }
    }

    @Test
    void forEachOverAHashStopsAtTheKeyTheCallbackStopsAt() {
        BpfMap prices = obj.map("prices").orElseThrow();
        List<Integer> order = new ArrayList<>();
        for (byte[] k : prices.keys()) {
            order.add(TestPrograms.u32(k, 0));
        }
        int stop = order.get(1);
        Sum s = forEach(1, stop, 0);
        assertEquals(2, s.visited());
        assertEquals(2, s.ret());
        assertEquals(order.get(0) / 100 + stop / 100, s.sum());
        long untouched = TestPrograms.u64(prices.lookup(le32(order.get(2))).orElseThrow(), 0);
        assertEquals(order.get(2) / 100, untouched, "entries after the stop are not visited");
    }

    @Test
    void forEachOverAnEmptyHashVisitsNothing() {
        BpfMap prices = obj.map("prices").orElseThrow();
        for (int k : new int[] {100, 200, 300}) {
            prices.delete(le32(k));
        }
        assertEquals(new Sum(0, 0, 0), forEach(1, NONE, 0));
    }

    @Test
    void forEachWithFlagsIsInvalidAndCallsNothing() {
        assertEquals(new Sum(0, 0, -Errno.EINVAL), forEach(0, NONE, 1));
        assertEquals(new Sum(0, 0, -Errno.EINVAL), forEach(1, NONE, 1));
    }
}
