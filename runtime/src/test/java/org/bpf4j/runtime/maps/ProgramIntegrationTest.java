package org.bpf4j.runtime.maps;

import org.bpf4j.core.api.Errno;
import static org.bpf4j.runtime.maps.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.bpf4j.core.object.MapType;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.interp.Interpreter;
import org.bpf4j.runtime.memory.Memory;
import org.junit.jupiter.api.Test;

/**
 * Maps used by real programs through the interpreter, with minimal map helpers wired the way the helper layer
 * is expected to: the map argument is a handle, keys and values are program addresses.
 */
class ProgramIntegrationTest {
    private static final int LOOKUP = 1, UPDATE = 2, DELETE = 3;

    private static HelperTable helpers(MapRegistry registry) {
        return new HelperTable()
                .register(LOOKUP, "map_lookup_elem", (ctx, r1, r2, r3, r4, r5) ->
                        registry.byHandle(r1).lookup(ctx.memory(), r2, 0))
                .register(UPDATE, "map_update_elem", (ctx, r1, r2, r3, r4, r5) ->
                        registry.byHandle(r1).update(ctx.memory(), r2, r3, r4, 0))
                .register(DELETE, "map_delete_elem", (ctx, r1, r2, r3, r4, r5) ->
                        registry.byHandle(r1).delete(ctx.memory(), r2));
    }

    private static Instruction mov(int dst, int imm) {
        return new Instruction.Alu(true, AluOp.MOV, dst, Operand.imm(imm));
    }

    private static Instruction movr(int dst, int src) {
        return new Instruction.Alu(true, AluOp.MOV, dst, Operand.reg(src));
    }

    private static Instruction add(int dst, int imm) {
        return new Instruction.Alu(true, AluOp.ADD, dst, Operand.imm(imm));
    }

    /** counter[key]++ for the key in r1 (as a u32 on the stack); returns the new count, or -1 when absent. */
    private static Program countProgram(long handle) {
        return Program.of(List.of(
                new Instruction.Store(Size.W, 10, (short) -4, Operand.reg(1)),
                new Instruction.LoadImm64(1, Instruction.LoadImm64.Pseudo.NONE, handle),
                movr(2, 10),
                add(2, -4),
                Instruction.Call.helper(LOOKUP),
                new Instruction.Branch(false, JumpOp.JEQ, 0, Operand.imm(0), (short) 5),
                mov(1, 1),
                new Instruction.Atomic(Size.DW, AtomicOp.ADD, true, 0, 1, (short) 0),
                add(1, 1),
                movr(0, 1),
                new Instruction.Exit(),
                mov(0, -1),
                new Instruction.Exit()));
    }

    @Test
    void programsCountThroughHashMapValuePointers() {
        MapRegistry registry = new MapRegistry(1);
        HashTableMap counters = registry.create(spec(MapType.HASH, 4, 8, 16), HashTableMap.class);
        Memory mem = memory(registry);
        var interp = new Interpreter(countProgram(counters.handle()), helpers(registry), mem);
        assertEquals(-1, interp.run(5));
        counters.update(u32(5), u64(0), BpfMap.NOEXIST);
        assertEquals(1, interp.run(5));
        assertEquals(2, interp.run(5));
        assertEquals(2, asU64(counters.lookup(u32(5)).orElseThrow()));
    }

    @Test
    void programsUpdateAndDeleteWithStackKeysAndValues() {
        MapRegistry registry = new MapRegistry(1);
        HashTableMap m = registry.create(spec(MapType.HASH, 4, 8, 16), HashTableMap.class);
        // *(u32*)(r10-4) = r1; *(u64*)(r10-16) = r2; r0 = update(map, r10-4, r10-16, r3); if r0 != 0 exit;
        // r0 = delete(map, r10-4) when r4 != 0
        Program p = Program.of(List.of(
                new Instruction.Store(Size.W, 10, (short) -4, Operand.reg(1)),
                new Instruction.Store(Size.DW, 10, (short) -16, Operand.reg(2)),
                new Instruction.LoadImm64(1, Instruction.LoadImm64.Pseudo.NONE, m.handle()),
                movr(2, 10),
                add(2, -4),
                movr(6, 4),
                movr(4, 3),
                movr(3, 10),
                add(3, -16),
                Instruction.Call.helper(UPDATE),
                new Instruction.Branch(false, JumpOp.JNE, 0, Operand.imm(0), (short) 6),
                new Instruction.Branch(false, JumpOp.JEQ, 6, Operand.imm(0), (short) 5),
                new Instruction.LoadImm64(1, Instruction.LoadImm64.Pseudo.NONE, m.handle()),
                movr(2, 10),
                add(2, -4),
                Instruction.Call.helper(DELETE),
                new Instruction.Exit()));
        var interp = new Interpreter(p, helpers(registry), memory(registry));
        assertEquals(0, interp.run(7, 70, BpfMap.NOEXIST, 0, 0));
        assertEquals(70, asU64(m.lookup(u32(7)).orElseThrow()));
        assertEquals(-Errno.EEXIST, interp.run(7, 71, BpfMap.NOEXIST, 0, 0));
        assertEquals(0, interp.run(7, 72, BpfMap.EXIST, 1, 0));
        assertTrue(m.lookup(u32(7)).isEmpty(), "updated then deleted");
    }

    @Test
    void dereferencingAMapHandleFaults() {
        MapRegistry registry = new MapRegistry(1);
        BpfMap m = registry.create(spec(MapType.ARRAY, 4, 8, 1));
        Program p = Program.of(List.of(
                new Instruction.LoadImm64(1, Instruction.LoadImm64.Pseudo.NONE, m.handle()),
                new Instruction.Load(Size.DW, false, 0, 1, (short) 0),
                new Instruction.Exit()));
        var f = assertThrows(BpfFault.class, () -> new Interpreter(p, helpers(registry), memory(registry)).run(0));
        assertEquals(BpfFault.Kind.OUT_OF_BOUNDS, f.kind());
        assertEquals(m.handle(), f.address());
    }

    @Test
    void packetThreadsShareArrayCountersThroughTheirOwnMemories() throws Exception {
        MapRegistry registry = new MapRegistry(4);
        ArrayMap a = registry.create(spec(MapType.ARRAY, 4, 8, 2), ArrayMap.class);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                var interp = new Interpreter(countProgram(a.handle()), helpers(registry), memory(registry));
                for (int i = 0; i < 10_000; i++) {
                    interp.run(1);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(40_000, asU64(a.lookup(u32(1)).orElseThrow()));
    }
}
