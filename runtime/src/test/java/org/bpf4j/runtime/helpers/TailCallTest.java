package org.bpf4j.runtime.helpers;

import static org.bpf4j.runtime.helpers.TestPrograms.params;
import static org.bpf4j.runtime.helpers.TestPrograms.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bpf4j.runtime.hooks.XdpAction;
import org.bpf4j.runtime.maps.ProgArrayMap;
import org.bpf4j.runtime.packet.LoadedObject;
import org.bpf4j.runtime.packet.PacketRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bpf_tail_call through tailcall.c's program array. The counts of the self-calling chain are what the kernel's
 * test run left (Linux 6.18, bpftool prog run, then bpftool map dump of .bss): MAX_TAIL_CALL_CNT is 33.
 */
class TailCallTest {
    static final TestPrograms.Globals G = new TestPrograms.Globals("tailcall");

    final LoadedObject obj = TestPrograms.load("tailcall");

    int visits(int stage) {
        return G.u32(obj, "visits", 4 * stage);
    }

    int depth() {
        return G.u32(obj, "depth", 0);
    }

    int fellThrough() {
        return G.u32(obj, "fell_through", 0);
    }

    @Test
    void aChainOfStagesEndsInTheLastOne() {
        PacketRunner r = TestPrograms.runner(obj, "entry");
        assertEquals(XdpAction.TX, run(r, params(64, 1)));
        assertEquals("stage2", r.lastProgram().name());
        assertEquals(1, visits(0));
        assertEquals(1, visits(1));
        assertEquals(1, visits(2));
    }

    @ParameterizedTest(name = "slot {0}")
    @ValueSource(ints = {3, 4, 7, -1})
    void aTailCallToAnEmptyOrMissingSlotFallsThrough(int slot) {
        PacketRunner r = TestPrograms.runner(obj, "entry");
        assertEquals(XdpAction.DROP, run(r, params(64, slot)));
        assertEquals("entry", r.lastProgram().name());
        assertEquals(1, visits(0));
        assertEquals(0, visits(1));
    }

    @Test
    void aSlotTheControlPlaneEmptiesFallsThrough() {
        ((ProgArrayMap) obj.map("jumps").orElseThrow()).clear(1);
        PacketRunner r = TestPrograms.runner(obj, "entry");
        assertEquals(XdpAction.DROP, run(r, params(64, 1)));
    }

    @Test
    void theThirtyFourthTailCallFailsAndTheProgramGoesOn() {
        PacketRunner r = TestPrograms.runner(obj, "chain");
        assertEquals(XdpAction.PASS, run(r, params(64)));
        assertEquals(34, depth(), "the first run and 33 tail calls; the kernel counted 34 too");
        assertEquals(1, fellThrough(), "only the last run went past its tail call");
        assertEquals(PacketState.MAX_TAIL_CALLS, 33);
    }

    @Test
    void tailCallsFromAnotherProgramCountTowardsTheSameLimit() {
        PacketRunner r = TestPrograms.runner(obj, "entry");
        assertEquals(XdpAction.PASS, run(r, params(64, 0)));
        assertEquals(33, depth(), "entry's tail call was the first of 33, as in the kernel");
        assertEquals(1, fellThrough());
    }

    @Test
    void theLimitIsPerPacket() {
        PacketRunner r = TestPrograms.runner(obj, "chain");
        run(r, params(64));
        run(r, params(64));
        assertEquals(68, depth());
        assertEquals(2, fellThrough());
    }
}
