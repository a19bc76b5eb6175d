package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.ret;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.bpf4j.core.api.Errno;
import org.bpf4j.runtime.memory.Memory;
import org.bpf4j.runtime.memory.Region;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpf_trace_printk: trace.c's programs print what the kernel printed for them (recorded here), return what it
 * returned, refuse what it refuses, and write their lines to the TraceLog.
 */
class TracePrintkTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("trace");

    final HelperServices services = HelperServices.defaults();
    final LoadedObject obj = TestPrograms.load("trace", TestPrograms.options().withServices(services).withCpus(2));

    long[] returns() {
        byte[] b = G.bytes(obj, "printk_ret");
        long[] r = new long[b.length / 8];
        for (int i = 0; i < r.length; i++) {
            r[i] = TestPrograms.u64(b, 8 * i);
        }
        return r;
    }

    static List<String> withoutCpu(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("^\\[cpu \\d+\\] ", "")).toList();
    }

    /*
     * The kernel's lines and return values: trace.o loaded with bpftool prog loadall, the program run once
     * with bpftool prog run on Linux 6.18, the lines read from tracefs's trace file (after
     * "bpf_trace_printk: "), the returns from printk_ret (bpftool map dump of the .bss map).
     */
    static final List<String> KERNEL_LINES = List.of(
            "d=-5 u=4294967291 x=beef",
            "llx=1122334455667788 lld=-1 llu=18446744073709551615",
            "s=hello c=Z 100%",
            "i=42 X=BEEF lx=fffffffff",
            "[   42] [42   ] [-0042]",
            "[+7] [ 7] [   hello]",
            "ip=192.168.1.7 padded=192.168.001.007",
            "no newline",
            "[a  ] [  b]",
            "[ffffffff] [ff    ] [000012]");
    static final long[] KERNEL_RETURNS = {25, 53, 17, 25, 24, 21, 38, 10, -22, -22, -22, -22, -22, 12, 29, 0};

    @Test
    void conversionsPrintAsTheKernelPrintsThem() {
        PacketRunner r = TestPrograms.runner(obj, "trace");
        run(r, params(64));
        assertEquals(KERNEL_LINES, withoutCpu(services.trace().lines()));
        assertArrayEquals(KERNEL_RETURNS, returns());
    }

    static final String LONG = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(8);

    /** trace_more's lines and returns, from the kernel as above. */
    static final List<String> KERNEL_MORE_LINES = List.of(
            "ip6=2001:0db8:0000:0000:0000:0000:0000:0001 raw=20010db8000000000000000000000001",
            "ks=hello",
            "sym=0x1234",
            "bad=[]",
            "[10.0.0.1] [10.0.0.1]",
            LONG + "|" + LONG.substring(0, 222),
            LONG + "|5",
            "10.0.0.1",
            "[3       ] [+3   ] [0000000000000abc]",
            "px=0000000000abcdef");
    static final long[] KERNEL_MORE_RETURNS = {81, 9, 11, 7, 22, 512, 291, -28, -22, -22, -22, -22, 9, 38, 20, 0};

    @Test
    void pointersAndStringsPrintAsTheKernelPrintsThem() {
        PacketRunner r = TestPrograms.runner(obj, "trace_more");
        run(r, params(64));
        assertEquals(KERNEL_MORE_LINES, withoutCpu(services.trace().lines()));
        assertArrayEquals(KERNEL_MORE_RETURNS, returns());
    }

    @Test
    void stringsShareTheFiveHundredTwelveByteArgumentBufferAndOverflowingItIsEnospc() {
        PacketRunner r = TestPrograms.runner(obj, "trace_more");
        run(r, params(64));
        long[] ret = returns();
        assertEquals(512, ret[5], "the second string is cut to what is left of 512 bytes");
        assertEquals(-Errno.ENOSPC, ret[7], "no room left for a third argument");
    }

    @Test
    void moreConversionsThanThreeArgumentsAreRefusedAndNotLogged() {
        PacketRunner r = TestPrograms.runner(obj, "trace");
        run(r, params(64));
        assertEquals(-Errno.EINVAL, returns()[8]);
        assertTrue(services.trace().lines().stream().noneMatch(l -> l.contains("four")));
    }

    @Test
    void percentPPrintsSixteenHexDigitsOfThePointer() {
        // the kernel prints a hash of the pointer (000000004079e238 once); bpf4j prints the pointer itself
        PacketRunner r = TestPrograms.runner(obj, "trace_pointer");
        run(r, params(64));
        String expected = String.format("p=%016x", r.buffer().address(r.buffer().data()));
        assertEquals(List.of(expected), withoutCpu(services.trace().lines()));
        assertEquals(19, ret(r), "\"p=\", 16 digits and the newline, as the kernel returned");
    }

    @Test
    void linesGoToTheTraceLogWithTheirCpuAndToItsListener() {
        List<String> heard = new ArrayList<>();
        services.trace().listen(heard::add);
        PacketRunner cpu1 = obj.runner(obj.program("trace_pointer").orElseThrow(), 1);
        run(cpu1, params(64));
        assertEquals(1, services.trace().lines().size());
        assertTrue(services.trace().lines().get(0).startsWith("[cpu 1] p="));
        assertEquals(services.trace().lines(), heard);
    }

    @Test
    void theTraceLogKeepsTheLastLinesAndCountsWhatItDropped() {
        TraceLog log = new TraceLog();
        for (int i = 0; i < TraceLog.CAPACITY + 5; i++) {
            log.write("line " + i);
        }
        assertEquals(TraceLog.CAPACITY, log.lines().size());
        assertEquals("line 5", log.lines().get(0));
        assertEquals(5, log.dropped());
    }

    // ---- the format checks and conversions, directly

    final Memory memory = new Memory();

    long string(String s) {
        byte[] b = (s + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Region r = memory.map("s", MemorySegment.ofArray(b), false);
        return r.address(0);
    }

    TraceFormat.Result format(String fmt, long a1, long a2, long a3) {
        return TraceFormat.format(memory, fmt, a1, a2, a3);
    }

    @ParameterizedTest(name = "\"{0}\" is -EINVAL")
    @CsvSource(delimiter = '|', value = {
        "%d %d %d %d",
        "%q",
        "%.2d",
        "%hd",
        "%5%",
        "ends with %",
        "%ls",
        "%sx",
        "%pZ",
        "%pI5",
        "%#x",
    })
    void formatsTheKernelRefusesAreInvalid(String fmt) {
        assertEquals(Errno.EINVAL, format(fmt, 1, 2, 3).error());
        assertNull(format(fmt, 1, 2, 3).text());
    }

    @ParameterizedTest(name = "\"{0}\" prints \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "%d|-1",
        "%i|-1",
        "%u|4294967295",
        "%x|ffffffff",
        "%X|FFFFFFFF",
        "%ld|-1",
        "%lu|18446744073709551615",
        "%llx|ffffffffffffffff",
        "%lld|-1",
        "[%3d]|[ -1]",
        "[%-4d]|[-1  ]",
        "[%04d]|[-001]",
        "[%+u]|[4294967295]",
        "[% x]|[ffffffff]",
        "%c|\u00ff",
        "[%3c]|[  \u00ff]",
        "100%%|100%",
        "%px|ffffffffffffffff",
        "%ps|0xffffffffffffffff",
        "%pK|ffffffffffffffff",
        "%pB|0xffffffffffffffff",
        "[%20p]|[    ffffffffffffffff]",
    })
    void conversionsOfMinusOne(String fmt, String expected) {
        assertEquals(expected, format(fmt, -1, -1, -1).text());
    }

    @Test
    void controlCharactersOtherThanWhiteSpaceAndNonAsciiAreInvalid() {
        assertEquals(Errno.EINVAL, format("bell\u0007", 0, 0, 0).error());
        assertEquals(Errno.EINVAL, format("caf\u00e9", 0, 0, 0).error());
        assertEquals(Errno.EINVAL, format("del\u007f", 0, 0, 0).error());
        assertEquals("tab\tcr\rvt\u000bff\fnl\n", format("tab\tcr\rvt\u000bff\fnl\n", 0, 0, 0).text());
    }

    @Test
    void aStringThatCannotBeReadPrintsNothing() {
        assertEquals("[]", format("[%s]", 8, 0, 0).text());
        assertEquals("[]", format("[%s]", 0x7777_0000_0000L, 0, 0).text());
    }

    @Test
    void stringsAndIpAddressesAreReadFromMemory() {
        long hello = string("hello");
        assertEquals("hello|hello|hello", format("%s|%pks|%pus", hello, hello, hello).text());
        long v4 = string("\u00c0\u00a8\u0001\u0007");
        assertEquals("192.168.1.7 192.168.001.007", format("%pI4 %pi4", v4, v4, 0).text());
        long v6 = string("\u00fe\u0080\0\0\0\0\0\0\0\0\0\0\0\0\0\u0001");
        assertEquals("fe80:0000:0000:0000:0000:0000:0000:0001 fe800000000000000000000000000001",
                format("%pI6 %pi6", v6, v6, 0).text());
        assertEquals("0.0.0.0", format("%pI4", 8, 0, 0).text(), "an address that cannot be read prints as zeros");
    }

    @Test
    void stringsBeyondTheArgumentBufferAreCutThenRefused() {
        long s = string("x".repeat(500));
        assertEquals("x".repeat(510), format("%s%s", s, s, 0).text(), "501 bytes, then 10 and a NUL");
        assertEquals(Errno.ENOSPC, format("%s%s%s", s, s, s).error());
    }

    @Test
    void aLineLongerThanTheOutputBufferReturnsItsWholeLengthAndLogsOneLessThanTheBuffer() {
        // the kernel returned 1032 and traced 1023 characters (bpftool prog run of trace_long, Linux 6.18)
        PacketRunner r = TestPrograms.runner(obj, "trace_long");
        run(r, params(64));
        assertEquals(1032, ret(r));
        String line = withoutCpu(services.trace().lines()).get(0);
        assertEquals(1023, line.length());
        assertEquals(" ".repeat(999) + "1|" + " ".repeat(22), line);
    }
}
