package org.bpf4j.runtime.interp;

import static org.bpf4j.runtime.interp.Code.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/** Classic BPF's LD_ABS and LD_IND: big-endian reads from the low region; out of bounds ends the program with 0. */
class LegacyLoadTest {

    /** A memory whose low region holds bytes 0x10, 0x11, ... 0x1f. */
    private static Memory packet() {
        var mem = new Memory();
        var seg = Memory.allocate(16);
        for (int i = 0; i < 16; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) (0x10 + i));
        }
        mem.mapLow("packet", seg, true);
        return mem;
    }

    private static Interpreter on(Memory mem, org.bpf4j.core.isa.Instruction... insns) {
        return interp(new HelperTable(), mem, insns);
    }

    @Test
    void ldAbsReadsBigEndian() {
        assertEquals(0x1213_1415L, on(packet(), ldAbs(Size.W, 2), exit()).run(0, 0));
        assertEquals(0x1e1fL, on(packet(), ldAbs(Size.H, 14), exit()).run(0, 0));
        assertEquals(0x10L, on(packet(), ldAbs(Size.B, 0), exit()).run(0, 0));
    }

    @Test
    void ldAbsOfHighBytesIsZeroExtended() {
        var mem = new Memory();
        var seg = Memory.allocate(4);
        seg.fill((byte) 0xff);
        mem.mapLow("packet", seg, false);
        assertEquals(0xffff_ffffL, on(mem, ldAbs(Size.W, 0), exit()).run(0, 0));
        assertEquals(0xffffL, on(mem, ldAbs(Size.H, 2), exit()).run(0, 0));
        assertEquals(0xffL, on(mem, ldAbs(Size.B, 3), exit()).run(0, 0));
    }

    @Test
    void ldIndAddsTheSourceRegister() {
        var in = on(packet(), mov(R6, 4), ldInd(Size.W, R6, 8), exit());
        assertEquals(0x1c1d_1e1fL, in.run(0, 0));
        in = on(packet(), mov(R6, 10), ldInd(Size.H, R6, -3), exit());
        assertEquals(0x1718L, in.run(0, 0));
        in = on(packet(), mov(R6, 15), ldInd(Size.B, R6, 0), exit());
        assertEquals(0x1fL, in.run(0, 0));
    }

    @Test
    void ldAbsPastTheEndEndsTheProgramWithZero() {
        var in = on(packet(), mov(R0, 7), ldAbs(Size.W, 13), mov(R0, 99), exit());
        assertEquals(0, in.run(0, 0));
        assertEquals(0, in.register(R0), "r0 is 0 as the program ends");
        assertEquals(0, on(packet(), ldAbs(Size.H, 15), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(packet(), ldAbs(Size.B, 16), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(packet(), ldAbs(Size.B, -1), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(packet(), ldAbs(Size.W, Integer.MAX_VALUE), mov(R0, 99), exit()).run(0, 0));
    }

    @Test
    void lastBytesAreInBounds() {
        assertEquals(0x1c1d_1e1fL, on(packet(), ldAbs(Size.W, 12), exit()).run(0, 0));
        assertEquals(0x1fL, on(packet(), ldAbs(Size.B, 15), exit()).run(0, 0));
    }

    @Test
    void ldIndOutOfBoundsEndsTheProgramWithZero() {
        assertEquals(0, on(packet(), mov(R6, 13), ldInd(Size.W, R6, 0), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(packet(), mov(R6, 0), ldInd(Size.B, R6, -1), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(packet(), mov(R6, -5), ldInd(Size.H, R6, 2), mov(R0, 99), exit()).run(0, 0));
    }

    @Test
    void withoutALowRegionEveryLegacyLoadEndsTheProgramWithZero() {
        var in = on(new Memory(), mov(R0, 5), ldAbs(Size.B, 0), mov(R0, 99), exit());
        assertEquals(0, in.run(0, 0));
        assertEquals(0, in.register(R0));
    }

    @Test
    void outOfBoundsInACalleeEndsTheWholeProgram() {
        var in = on(packet(), callLocal(2), mov(R0, 99), exit(), ldAbs(Size.W, 100), exit());
        assertEquals(0, in.run(0, 0));
    }
}
