package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.maps.PerfEventArrayMap;
import org.bpf4j.runtime.maps.RingBufMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The helpers programs use to hand data to user space or to keep it in order: queue and stack push, pop and peek,
 * the ring buffer's reserve, submit, discard, output and query (read back through RingBufMap's consumer), and
 * perf_event_output (drained from PerfEventArrayMap). The programs are misc.c's; the queue, stack and ring
 * buffer numbers are what the kernel's test run gave for them (Linux 6.18, bpftool prog run and map dump).
 */
class MapOutputHelpersTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("misc");

    final LoadedObject obj = TestPrograms.load("misc", TestPrograms.options().withCpus(2));

    long[] longs(String global, int count) {
        byte[] b = G.bytes(obj, global);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = TestPrograms.u64(b, 8 * i);
        }
        return out;
    }

    // ---- queues and stacks

    @ParameterizedTest(name = "{0}, push flags {1}")
    @CsvSource(delimiter = '|', value = {
        // map | flags | push results | popped | peeked
        "0 | 0 | 0 0 0 0 -7 -7 | 10 20 30 40 0 0 | 10",    // a full queue refuses (E2BIG)
        "1 | 0 | 0 0 0 0 -7 -7 | 40 30 20 10 0 0 | 40",    // a stack pops the newest first
        "0 | 2 | 0 0 0 0 0 0 | 30 40 50 60 0 0 | 30",      // BPF_EXIST: push onto a full map drops the oldest
        "1 | 2 | 0 0 0 0 0 0 | 60 50 40 30 0 0 | 60",
    })
    void queuesAndStacksPushPeekAndPopAsInTheKernel(int map, int flags, String pushes, String popped, int peeked) {
        PacketRunner r = TestPrograms.runner(obj, "queue_stack");
        run(r, params(64, map, flags));
        byte[] qs = G.bytes(obj, "qs");
        for (int i = 0; i < 6; i++) {
            assertEquals(Long.parseLong(pushes.split(" ")[i]), TestPrograms.u64(qs, 8 * i), "push " + i);
            boolean empty = Integer.parseInt(popped.split(" ")[i]) == 0;
            assertEquals(empty ? -Errno.ENOENT : 0, TestPrograms.u64(qs, 48 + 8 * i), "pop " + i);
            assertEquals(Integer.parseInt(popped.split(" ")[i]), TestPrograms.u32(qs, 96 + 4 * i), "popped " + i);
        }
        assertEquals(0, TestPrograms.u64(qs, 120), "peek");
        assertEquals(peeked, TestPrograms.u32(qs, 128));
    }

    // ---- ring buffer

    record Ring(long availBefore, long availAfter, long size, long cons, long prod, long badFlag, long output,
            int reservedNull) {}

    Ring ring() {
        byte[] b = G.bytes(obj, "rb");
        return new Ring(TestPrograms.u64(b, 0), TestPrograms.u64(b, 8), TestPrograms.u64(b, 16), TestPrograms.u64(b, 24),
                TestPrograms.u64(b, 32), TestPrograms.u64(b, 40), TestPrograms.u64(b, 48), TestPrograms.u32(b, 56));
    }

    RingBufMap events() {
        return (RingBufMap) obj.map("events").orElseThrow();
    }

    @Test
    void aReservedRecordSubmittedAndAnOutputRecordReachTheConsumerInOrder() {
        PacketRunner r = TestPrograms.runner(obj, "ring");
        byte[] frame = params(64, 10, 0, 0);
        run(r, frame);
        // 64 bytes of data and an 8-byte header; 8 and 8: the kernel said the same
        assertEquals(new Ring(0, 88, 4096, 0, 88, 0, 0, 0), ring());
        List<byte[]> records = events().drain();
        assertEquals(2, records.size());
        byte[] expected = frame.clone();
        expected[0] = 10;
        assertArrayEquals(expected, records.get(0));
        assertArrayEquals(TestPrograms.le64(64), records.get(1), "the frame length, output by bpf_ringbuf_output");
        assertEquals(88, events().consumerPosition());
    }

    @Test
    void aDiscardedRecordTakesRoomUntilConsumedButIsNeverSeen() {
        PacketRunner r = TestPrograms.runner(obj, "ring");
        run(r, params(64, 10, 0, 0));
        run(r, params(64, 11, 1, 0));
        assertEquals(new Ring(88, 176, 4096, 0, 176, 0, 0, 0), ring());
        List<byte[]> records = events().drain();
        assertEquals(3, records.size(), "the discarded record is skipped");
        assertEquals(10, records.get(0)[0]);
        assertArrayEquals(TestPrograms.le64(64), records.get(1));
        assertArrayEquals(TestPrograms.le64(64), records.get(2));
        run(r, params(64, 12, 0, 0));
        assertEquals(176, ring().cons(), "the program sees the consumer's position");
        assertEquals(88, ring().availAfter());
    }

    @Test
    void aRecordThatFitsTheRingLessItsLastEightBytesIsReservedAndThenTheRingIsFull() {
        PacketRunner r = TestPrograms.runner(obj, "ring");
        run(r, params(64, 10, 0, 4080));
        // the kernel: reserved (4088 bytes with the header), then bpf_ringbuf_output had no room: -EAGAIN
        assertEquals(new Ring(0, 4088, 4096, 0, 4088, 0, -Errno.EAGAIN, 0), ring());
        assertEquals(1, events().drain().size());
    }

    @Test
    void aRecordThatWouldFillTheWholeRingIsRefusedAsInTheKernel() {
        PacketRunner r = TestPrograms.runner(obj, "ring");
        run(r, params(64, 10, 0, 4088));
        // the kernel: NULL, then bpf_ringbuf_output of 8 bytes went through
        assertEquals(new Ring(0, 16, 4096, 0, 16, 0, 0, 1), ring());
    }

    @Test
    void aQueryWithAnUnknownFlagIsZero() {
        PacketRunner r = TestPrograms.runner(obj, "ring");
        run(r, params(64, 10, 0, 0));
        assertEquals(0, ring().badFlag());
    }

    // ---- perf event array

    PerfEventArrayMap samples() {
        return (PerfEventArrayMap) obj.map("samples").orElseThrow();
    }

    // slots start without a perf event, as in the kernel: open one per CPU, as a perf buffer reader does
    void openAll() {
        for (int i = 0; i < samples().maxEntries(); i++) {
            samples().open(i, 8);
        }
    }

    @Test
    void perfEventOutputGoesToTheCurrentCpusBufferOrToTheIndexAsked() {
        openAll();
        PacketRunner cpu1 = obj.runner(obj.program("perf").orElseThrow(), 1);
        byte[] frame = params(64, 0x04030201, 0x08070605);
        run(cpu1, frame);
        long[] ret = longs("perf_ret", 5);
        assertEquals(0, ret[0], "BPF_F_CURRENT_CPU");
        assertEquals(0, ret[1], "index 3");
        assertEquals(-Errno.E2BIG, ret[2], "index 4, beyond max_entries");
        assertEquals(0, ret[3], "8 packet bytes asked for");
        assertEquals(-Errno.EFAULT, ret[4], "more packet bytes than the frame has");
        List<byte[]> mine = samples().drain(1);
        assertEquals(2, mine.size());
        byte[] s = mine.get(0);
        assertEquals(16, s.length);
        assertEquals(1, TestPrograms.u32(s, 0), "the sample's cpu");
        assertEquals(64, TestPrograms.u32(s, 4), "the sample's frame length");
        assertArrayEquals(Arrays.copyOf(frame, 8), Arrays.copyOfRange(s, 8, 16));
        assertEquals(1, samples().drain(3).size());
        assertTrue(samples().drain(0).isEmpty());
        assertTrue(samples().drain(2).isEmpty());
    }

    @Test
    void perfEventOutputToAClosedBufferIsEnoent() {
        openAll();
        samples().close(3);
        PacketRunner r = TestPrograms.runner(obj, "perf");
        run(r, params(64));
        long[] ret = longs("perf_ret", 5);
        assertEquals(0, ret[0]);
        assertEquals(-Errno.ENOENT, ret[1]);
        assertEquals(2, samples().drain(0).size());
    }
}
