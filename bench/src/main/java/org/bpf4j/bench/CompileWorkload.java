package org.bpf4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Instruction.Branch;
import org.bpf4j.core.isa.Instruction.Call;
import org.bpf4j.core.isa.Instruction.Exit;
import org.bpf4j.core.isa.Instruction.Goto;
import org.bpf4j.core.isa.Instruction.Load;
import org.bpf4j.core.isa.Instruction.LoadImm64;
import org.bpf4j.core.isa.Instruction.Store;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.Program;

/**
 * A program of about 1,000 instructions shaped like compiled packet-processing code, for the compile-time
 * benchmark: header loads with bounds checks (forward branches), ALU work, stack spills, helper calls, a few
 * bounded loops and calls to four local functions. Deterministic (seeded).
 */
public final class CompileWorkload {
    private CompileWorkload() {}

    /** Instructions in the main function's body and in each of the 4 local functions (about 1,000 in all). */
    static final int MAIN = 600, FUNCTION = 100, FUNCTIONS = 4;

    public static HelperTable helpers() {
        return new HelperTable()
                .register(1, "map_lookup_elem", (ctx, a, b, c, d, e) -> 0)
                .register(5, "ktime_get_ns", (ctx, a, b, c, d, e) -> 0);
    }

    public static Program program() {
        Random rnd = new Random(1000);
        List<Instruction> main = body(rnd, MAIN, true);
        List<List<Instruction>> functions = new ArrayList<>();
        for (int f = 0; f < FUNCTIONS; f++) {
            functions.add(body(rnd, FUNCTION, false));
        }
        // main calls each function at its end; calls are resolved once the layout is known
        List<Instruction> code = new ArrayList<>(main);
        int callsAt = code.size();
        for (int f = 0; f < FUNCTIONS; f++) {
            code.add(null);
        }
        code.add(new Exit());
        int at = slots(code);
        int[] entry = new int[FUNCTIONS];
        for (int f = 0; f < FUNCTIONS; f++) {
            entry[f] = at;
            code.addAll(functions.get(f));
            at += slots(functions.get(f));
        }
        for (int f = 0; f < FUNCTIONS; f++) {
            int callSlot = slots(code.subList(0, callsAt + f));
            code.set(callsAt + f, Call.local(entry[f] - callSlot - 1));
        }
        return Program.of(code);
    }

    private static int slots(List<Instruction> code) {
        int n = 0;
        for (Instruction i : code) {
            n += i == null ? 1 : i.slots();
        }
        return n;
    }

    /** A function body ending in exit: blocks of packet-like code. */
    private static List<Instruction> body(Random rnd, int length, boolean main) {
        List<Instruction> code = new ArrayList<>();
        if (main) {
            code.add(new Alu(true, AluOp.MOV, 6, Operand.reg(1)));
        }
        while (code.size() < length) {
            switch (rnd.nextInt(6)) {
                case 0 -> { // bounds-checked header load
                    code.add(new Load(Size.W, false, 2, 6, (short) 4));
                    code.add(new Alu(true, AluOp.MOV, 3, Operand.reg(6)));
                    code.add(new Alu(true, AluOp.ADD, 3, Operand.imm(14 + rnd.nextInt(40))));
                    code.add(new Branch(false, JumpOp.JGT, 3, Operand.reg(2), (short) 2));
                    code.add(new Load(Size.H, false, 4, 6, (short) rnd.nextInt(40)));
                    code.add(new Alu(false, AluOp.ADD, 0, Operand.reg(4)));
                }
                case 1 -> { // arithmetic
                    for (int i = 0; i < 4; i++) {
                        AluOp op = AluOp.values()[rnd.nextInt(8)];
                        code.add(new Alu(rnd.nextBoolean(), op == AluOp.NEG ? AluOp.XOR : op, rnd.nextInt(6),
                                rnd.nextBoolean() ? Operand.imm(rnd.nextInt(1000) + 1) : Operand.reg(rnd.nextInt(6))));
                    }
                }
                case 2 -> { // stack spill and reload
                    int off = -8 * (1 + rnd.nextInt(16));
                    code.add(new Store(Size.DW, 10, (short) off, Operand.reg(rnd.nextInt(6))));
                    code.add(new Load(Size.DW, false, rnd.nextInt(6), 10, (short) off));
                }
                case 3 -> { // helper call with a key on the stack
                    code.add(new Alu(true, AluOp.MOV, 2, Operand.reg(10)));
                    code.add(new Alu(true, AluOp.ADD, 2, Operand.imm(-16)));
                    code.add(new LoadImm64(1, LoadImm64.Pseudo.NONE, 0x1234_0000_0000L));
                    code.add(Call.helper(rnd.nextBoolean() ? 1 : 5));
                    code.add(new Branch(false, JumpOp.JEQ, 0, Operand.imm(0), (short) 1));
                    code.add(new Load(Size.DW, false, 5, 0, (short) 0));
                }
                case 4 -> { // small bounded loop
                    code.add(new Alu(true, AluOp.MOV, 5, Operand.imm(4)));
                    code.add(new Alu(true, AluOp.ADD, 0, Operand.reg(5)));
                    code.add(new Alu(true, AluOp.SUB, 5, Operand.imm(1)));
                    code.add(new Branch(false, JumpOp.JNE, 5, Operand.imm(0), (short) -3));
                }
                default -> { // a switch-like compare chain
                    code.add(new Branch(rnd.nextBoolean(), JumpOp.JEQ, 2, Operand.imm(rnd.nextInt(16)), (short) 2));
                    code.add(new Alu(true, AluOp.OR, 0, Operand.imm(rnd.nextInt(256))));
                    code.add(new Goto(false, 1));
                    code.add(new Alu(true, AluOp.AND, 0, Operand.imm(rnd.nextInt(256))));
                }
            }
        }
        code.add(new Exit());
        return code;
    }
}
