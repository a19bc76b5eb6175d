package org.bpf4j.runtime.jit;

import static org.bpf4j.runtime.jit.Insns.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.Engine;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** LD_ABS and LD_IND on both engines: big endian from the low region; out of bounds ends the program with 0. */
class EngineLegacyLoadTest {

    /** A low region holding 0x10, 0x11, ... 0x1f. */
    private static Memory packet() {
        var mem = new Memory();
        var seg = Memory.allocate(16);
        for (int i = 0; i < 16; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) (0x10 + i));
        }
        mem.mapLow("packet", seg, true);
        return mem;
    }

    private static Execution on(Engine engine, Memory mem, Instruction... insns) {
        return exec(engine, new HelperTable(), mem, insns);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void ldAbsReadsBigEndianZeroExtended(Engine engine) {
        assertEquals(0x1213_1415L, on(engine, packet(), ldAbs(Size.W, 2), exit()).run(0, 0));
        assertEquals(0x1e1fL, on(engine, packet(), ldAbs(Size.H, 14), exit()).run(0, 0));
        assertEquals(0x10L, on(engine, packet(), ldAbs(Size.B, 0), exit()).run(0, 0));
        var mem = new Memory();
        var seg = Memory.allocate(4);
        seg.fill((byte) 0xff);
        mem.mapLow("packet", seg, false);
        assertEquals(0xffff_ffffL, on(engine, mem, ldAbs(Size.W, 0), exit()).run(0, 0));
        assertEquals(0xffffL, on(engine, mem, ldAbs(Size.H, 2), exit()).run(0, 0));
        assertEquals(0xffL, on(engine, mem, ldAbs(Size.B, 3), exit()).run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void ldIndAddsTheLow32BitsOfTheSourceRegister(Engine engine) {
        assertEquals(0x1c1d_1e1fL, on(engine, packet(), mov(R6, 4), ldInd(Size.W, R6, 8), exit()).run(0, 0));
        assertEquals(0x1718L, on(engine, packet(), mov(R6, 10), ldInd(Size.H, R6, -3), exit()).run(0, 0));
        assertEquals(0x1fL, on(engine, packet(), lddw(R6, 0x7_0000_000fL), ldInd(Size.B, R6, 0), exit()).run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void outOfBoundsEndsTheProgramWithZero(Engine engine) {
        var e = on(engine, packet(), mov(R0, 7), mov(R6, 6), ldAbs(Size.W, 13), mov(R0, 99), exit());
        assertEquals(0, e.run(0, 0));
        assertEquals(0, e.register(R0));
        assertEquals(6, e.register(R6));
        assertEquals(0, on(engine, packet(), ldAbs(Size.H, 15), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, packet(), ldAbs(Size.B, 16), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, packet(), ldAbs(Size.B, -1), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, packet(), ldAbs(Size.W, Integer.MAX_VALUE), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, packet(), mov(R6, 13), ldInd(Size.W, R6, 0), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, packet(), mov(R6, -5), ldInd(Size.H, R6, 2), mov(R0, 99), exit()).run(0, 0));
        assertEquals(0, on(engine, new Memory(), mov(R0, 5), ldAbs(Size.B, 0), mov(R0, 99), exit()).run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void lastBytesAreInBounds(Engine engine) {
        assertEquals(0x1c1d_1e1fL, on(engine, packet(), ldAbs(Size.W, 12), exit()).run(0, 0));
        assertEquals(0x1fL, on(engine, packet(), ldAbs(Size.B, 15), exit()).run(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void outOfBoundsInACalleeEndsTheWholeProgram(Engine engine) {
        var e = on(engine, packet(), mov(R6, 1), callLocal(2), mov(R0, 99), exit(), mov(R6, 2), ldAbs(Size.W, 100),
                exit());
        assertEquals(0, e.run(0, 0));
        assertEquals(2, e.register(R6), "the callee's registers");
        assertEquals(Memory.stackTop(1), e.register(R10));
    }
}
