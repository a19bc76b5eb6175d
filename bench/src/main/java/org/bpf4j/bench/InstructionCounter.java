package org.bpf4j.bench;

import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Instruction.Branch;
import org.bpf4j.core.isa.Instruction.Exit;
import org.bpf4j.core.isa.Instruction.Goto;
import org.bpf4j.core.isa.Instruction.Load;
import org.bpf4j.core.isa.Instruction.LoadImm64;
import org.bpf4j.core.isa.Instruction.Store;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;

/**
 * A slow, separate stepper over decoded instructions that counts how many it executes, so that benchmark times
 * can be given per eBPF instruction. It knows only what the benchmark programs use (64-bit ALU and jumps, loads,
 * stores, lddw, exit from the main function) and refuses the rest.
 */
public final class InstructionCounter {
    private InstructionCounter() {}

    /** What a run returned, and how many instructions it executed ({@code lddw} counts once). */
    public record Result(long r0, long executed) {}

    public static Result run(Program program, Memory memory, long r1, long r2) {
        long[] r = new long[11];
        r[1] = r1;
        r[2] = r2;
        r[10] = Memory.stackTop(0);
        long executed = 0;
        int pc = 0;
        while (true) {
            Instruction insn = program.at(pc);
            if (insn == null) {
                throw new IllegalStateException("no instruction at " + pc);
            }
            executed++;
            switch (insn) {
                case Alu a when a.wide() -> {
                    long src = switch (a.src()) {
                        case Operand.Reg g -> r[g.reg()];
                        case Operand.Imm i -> i.value();
                    };
                    r[a.dst()] = alu64(a, r[a.dst()], src);
                    pc++;
                }
                case Load l -> {
                    long v = memory.load(r[l.src()] + l.offset(), l.size().bytes());
                    if (l.signExtend()) {
                        int shift = 64 - 8 * l.size().bytes();
                        v = v << shift >> shift;
                    }
                    r[l.dst()] = v;
                    pc++;
                }
                case Store s -> {
                    long v = switch (s.value()) {
                        case Operand.Reg g -> r[g.reg()];
                        case Operand.Imm i -> i.value();
                    };
                    memory.store(r[s.dst()] + s.offset(), s.size().bytes(), v);
                    pc++;
                }
                case Branch b when !b.jmp32() -> {
                    long src = switch (b.src()) {
                        case Operand.Reg g -> r[g.reg()];
                        case Operand.Imm i -> i.value();
                    };
                    pc += taken(b, r[b.dst()], src) ? 1 + b.offset() : 1;
                }
                case Goto g -> pc += 1 + g.offset();
                case LoadImm64 l -> {
                    r[l.dst()] = l.imm();
                    pc += 2;
                }
                case Exit e -> {
                    return new Result(r[0], executed);
                }
                default -> throw new UnsupportedOperationException("the counter does not model " + insn);
            }
        }
    }

    private static long alu64(Alu a, long d, long s) {
        return switch (a.op()) {
            case ADD -> d + s;
            case SUB -> d - s;
            case MUL -> d * s;
            case DIV -> s == 0 ? 0 : Long.divideUnsigned(d, s);
            case MOD -> s == 0 ? d : Long.remainderUnsigned(d, s);
            case OR -> d | s;
            case AND -> d & s;
            case XOR -> d ^ s;
            case LSH -> d << (s & 63);
            case RSH -> d >>> (s & 63);
            case ARSH -> d >> (s & 63);
            case NEG -> -d;
            case MOV -> s;
            default -> throw new UnsupportedOperationException("the counter does not model " + a);
        };
    }

    private static boolean taken(Branch b, long d, long s) {
        return switch (b.op()) {
            case JEQ -> d == s;
            case JNE -> d != s;
            case JGT -> Long.compareUnsigned(d, s) > 0;
            case JGE -> Long.compareUnsigned(d, s) >= 0;
            case JLT -> Long.compareUnsigned(d, s) < 0;
            case JLE -> Long.compareUnsigned(d, s) <= 0;
            case JSGT -> d > s;
            case JSGE -> d >= s;
            case JSLT -> d < s;
            case JSLE -> d <= s;
            case JSET -> (d & s) != 0;
        };
    }

    /** Prints the instructions each benchmark program executes per run. */
    public static void main(String[] args) {
        System.out.printf("%-8s %14s %20s%n", "program", "instructions", "r0");
        for (Workload w : Workload.values()) {
            Workload.Prepared p = w.prepare();
            Result result = run(p.program(), p.memory(), p.address(), p.length());
            System.out.printf("%-8s %,14d %20s%n", w.programName(), result.executed(), Long.toString(result.r0()));
        }
    }
}
