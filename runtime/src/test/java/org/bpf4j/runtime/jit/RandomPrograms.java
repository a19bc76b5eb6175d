package org.bpf4j.runtime.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.Alu;
import org.bpf4j.core.isa.Instruction.Atomic;
import org.bpf4j.core.isa.Instruction.Branch;
import org.bpf4j.core.isa.Instruction.Call;
import org.bpf4j.core.isa.Instruction.CallReg;
import org.bpf4j.core.isa.Instruction.Endian;
import org.bpf4j.core.isa.Instruction.Exit;
import org.bpf4j.core.isa.Instruction.Goto;
import org.bpf4j.core.isa.Instruction.LegacyLoad;
import org.bpf4j.core.isa.Instruction.Load;
import org.bpf4j.core.isa.Instruction.LoadImm64;
import org.bpf4j.core.isa.Instruction.Store;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.memory.Memory;

/**
 * Random valid programs for differential testing, from a seed. The main function copies its pointer arguments
 * into r6 (a 64-byte data region), r7 (the 32-byte low region) and r8 (a 16-byte read-only region), which no
 * generated instruction overwrites; everything else is random: ALU and byte-swap operations of both widths with
 * edge values mixed in, loads and stores (mostly in bounds, some not, some read-only), atomics (some misaligned),
 * forward conditional jumps and gotos, bounded loops counting r9, local calls to later functions (and sometimes a
 * function that recurses without end), helper calls (some that exit, fault, throw or call back), callx of helper
 * numbers and code addresses, lddw, LD_ABS and LD_IND, exits in the middle and functions that fall through.
 */
final class RandomPrograms {
    static final int DATA = 64, LOW = 32, RODATA = 16;

    static final long[] EDGES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
        0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, 0xffff_ffff_0000_0000L, 0x7f, 0x80, 0xff, 0x8000, 0xffff, 63, 64,
        31, 32, -63, 0x1234_5678_9abc_def0L};

    /** Helpers: 1 mix, 2 maybe exit, 3 peek, 4 flaky, 6 loop (callbacks), 7 poke. */
    static HelperTable helpers() {
        return new HelperTable()
                .register(1, "mix", (ctx, a, b, c, d, e) -> (a * 31 + b) ^ (c >>> 3) ^ d - e)
                .register(2, "maybe_exit", (ctx, a, b, c, d, e) -> {
                    if ((a & 7) == 0) {
                        ctx.exit(a ^ 0x55);
                    }
                    return a + 1;
                })
                .register(3, "peek", (ctx, a, b, c, d, e) -> ctx.memory().load8(a))
                .register(4, "flaky", (ctx, a, b, c, d, e) -> {
                    if ((a & 0xf) == 0x2) {
                        throw new IllegalStateException("flaky " + a);
                    }
                    return ~a;
                })
                .register(6, "loop", (ctx, fn, arg, count, d, e) -> {
                    long i = 0;
                    long n = count & 3;
                    while (i < n) {
                        long r = ctx.callFunction(fn, i, arg, 0, 0, 0);
                        i++;
                        if (r != 0) {
                            break;
                        }
                    }
                    return i;
                })
                .register(7, "poke", (ctx, a, b, c, d, e) -> {
                    ctx.memory().store32(a, b);
                    return 0;
                });
    }

    private final SplittableRandom rnd;
    private final List<Item> items = new ArrayList<>();
    private int labels;
    private final Map<Integer, Integer> boundAt = new HashMap<>(); // label -> item index
    private int functions;
    private int currentFunction;
    private boolean inLoop;

    /** An instruction whose offset or address is resolved once the layout is known. */
    private record Item(Instruction insn, int label, int function, boolean codeAddress) {}

    private final int mainLength;

    private RandomPrograms(long seed, int mainLength) {
        this.rnd = new SplittableRandom(seed);
        this.mainLength = mainLength;
    }

    /** A random program: its instructions. */
    static List<Instruction> generate(long seed) {
        return new RandomPrograms(seed, 0).build();
    }

    /** A random program whose main function has about {@code mainLength} generation steps. */
    static List<Instruction> generate(long seed, int mainLength) {
        return new RandomPrograms(seed, mainLength).build();
    }

    private List<Instruction> build() {
        functions = 1 + rnd.nextInt(4);
        boolean recursive = rnd.nextInt(20) == 0;
        int[] functionItem = new int[functions];
        for (int f = 0; f < functions; f++) {
            currentFunction = f;
            functionItem[f] = items.size();
            if (f == 0) {
                add(new Alu(true, AluOp.MOV, 6, Operand.reg(1)));
                add(new Alu(true, AluOp.MOV, 7, Operand.reg(2)));
                add(new Alu(true, AluOp.MOV, 8, Operand.reg(3)));
            }
            if (recursive && f == functions - 1) {
                items.add(new Item(Call.local(0), -1, f, false)); // calls itself: depth fault
            }
            block(f == 0 ? (mainLength > 0 ? mainLength : 10 + rnd.nextInt(60)) : 3 + rnd.nextInt(25));
            if (rnd.nextInt(25) != 0) {
                add(new Exit()); // else falls into the next function, or off the end
            }
        }
        // layout: slot of each item
        int[] slot = new int[items.size() + 1];
        for (int i = 0; i < items.size(); i++) {
            slot[i + 1] = slot[i] + items.get(i).insn().slots();
        }
        List<Instruction> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            Instruction insn = it.insn();
            if (it.function() >= 0) {
                int target = slot[functionItem[it.function()]];
                if (it.codeAddress()) {
                    insn = new LoadImm64(((LoadImm64) insn).dst(), LoadImm64.Pseudo.NONE,
                            (long) Memory.CODE_REGION << 32 | target * 8L);
                } else {
                    insn = Call.local(target - slot[i] - 1);
                }
            } else if (it.label() >= 0) {
                int rel = slot[boundAt.get(it.label())] - slot[i] - 1;
                insn = switch (insn) {
                    case Branch b -> new Branch(b.jmp32(), b.op(), b.dst(), b.src(), (short) rel);
                    case Goto g -> new Goto(g.wide(), rel);
                    default -> throw new IllegalStateException();
                };
            }
            out.add(insn);
        }
        return out;
    }

    private void add(Instruction insn) {
        items.add(new Item(insn, -1, -1, false));
    }

    private int newLabel() {
        return labels++;
    }

    private void bind(int label) {
        boundAt.put(label, items.size());
    }

    /** A register the program may overwrite: not the pointers r6 to r8, nor the loop counter r9 in a loop. */
    private int writable() {
        int r = rnd.nextInt(inLoop ? 6 : 7);
        return r == 6 ? 9 : r;
    }

    private int anyRegister() {
        return rnd.nextInt(11);
    }

    private int imm() {
        return switch (rnd.nextInt(4)) {
            case 0 -> (int) EDGES[rnd.nextInt(EDGES.length)];
            case 1 -> rnd.nextInt(-300, 300);
            default -> rnd.nextInt();
        };
    }

    private void block(int length) {
        List<int[]> pending = new ArrayList<>(); // {label, bind before this many items from block start}
        int start = items.size();
        for (int i = 0; i < length; i++) {
            for (int[] p : pending) {
                if (p[1] == i) {
                    bind(p[0]);
                }
            }
            int kind = rnd.nextInt(100);
            if (kind < 32) {
                alu();
            } else if (kind < 37) {
                endianOrEdge();
            } else if (kind < 52) {
                memory();
            } else if (kind < 56) {
                atomic();
            } else if (kind < 67) {
                int label = newLabel();
                pending.add(new int[] {label, i + 1 + rnd.nextInt(Math.max(1, length - i))});
                if (rnd.nextInt(6) == 0) {
                    items.add(new Item(new Goto(rnd.nextBoolean(), 0), label, -1, false));
                } else {
                    items.add(new Item(branch((short) 0), label, -1, false));
                }
            } else if (kind < 71 && !inLoop && length - i > 4) {
                loop();
            } else if (kind < 76) {
                helperCall();
            } else if (kind < 80 && currentFunction + 1 < functions) {
                int callee = currentFunction + 1 + rnd.nextInt(functions - currentFunction - 1);
                items.add(new Item(Call.local(0), -1, callee, false));
            } else if (kind < 82) {
                callx();
            } else if (kind < 86) {
                add(new LoadImm64(writable(), LoadImm64.Pseudo.NONE,
                        rnd.nextBoolean() ? rnd.nextLong() : EDGES[rnd.nextInt(EDGES.length)]));
            } else if (kind < 89) {
                legacy();
            } else if (kind < 90) {
                add(new Exit());
            } else if (kind == 90 && rnd.nextInt(4) == 0) {
                add(new Goto(false, -1)); // endless: the budget stops it
            } else {
                alu();
            }
        }
        for (int[] p : pending) {
            if (!boundAt.containsKey(p[0])) {
                bind(p[0]);
            }
        }
        if (items.size() == start) {
            alu();
        }
    }

    private void alu() {
        AluOp[] ops = AluOp.values();
        AluOp op = ops[rnd.nextInt(ops.length)];
        boolean wide = rnd.nextBoolean();
        if (op == AluOp.MOVSX32 && !wide) {
            op = AluOp.MOVSX16;
        }
        Operand src;
        if (op == AluOp.NEG) {
            src = Operand.imm(0);
        } else if (op.isSignExtendingMove() || rnd.nextBoolean()) {
            src = Operand.reg(anyRegister());
        } else {
            src = Operand.imm(imm());
        }
        add(new Alu(wide, op, writable(), src));
    }

    private void endianOrEdge() {
        if (rnd.nextBoolean()) {
            Endian.Kind[] kinds = Endian.Kind.values();
            add(new Endian(kinds[rnd.nextInt(kinds.length)], 16 << rnd.nextInt(3), writable()));
        } else {
            add(new LoadImm64(writable(), LoadImm64.Pseudo.NONE, EDGES[rnd.nextInt(EDGES.length)]));
        }
    }

    private Instruction branch(short offset) {
        JumpOp[] ops = JumpOp.values();
        Operand src = rnd.nextBoolean() ? Operand.reg(anyRegister()) : Operand.imm(imm());
        return new Branch(rnd.nextBoolean(), ops[rnd.nextInt(ops.length)], anyRegister(), src, offset);
    }

    /** A base register and an offset: mostly inside its region, sometimes just outside, rarely anywhere. */
    private int[] place(int size, boolean write) {
        int choice = rnd.nextInt(write ? 3 : 4);
        int base, room;
        switch (choice) {
            case 0 -> { base = 6; room = DATA; }
            case 1 -> { base = 10; room = -1; }
            case 2 -> { base = 7; room = LOW; }
            default -> { base = 8; room = RODATA; }
        }
        if (write && rnd.nextInt(40) == 0) {
            base = 8; // read-only
            room = RODATA;
        }
        int off;
        if (rnd.nextInt(30) == 0) {
            base = anyRegister();
            off = rnd.nextInt(-16, 16);
        } else if (room < 0) {
            off = -8 * (1 + rnd.nextInt(64)) + (rnd.nextInt(30) == 0 ? rnd.nextInt(-8, 16) : rnd.nextInt(8 - size + 1));
        } else {
            off = rnd.nextInt(room - size + 1);
            if (rnd.nextInt(30) == 0) {
                off = rnd.nextBoolean() ? room - size + 1 + rnd.nextInt(4) : -1 - rnd.nextInt(4);
            }
        }
        return new int[] {base, off};
    }

    private void memory() {
        Size size = Size.values()[rnd.nextInt(4)];
        if (rnd.nextBoolean()) {
            int[] p = place(size.bytes(), false);
            add(new Load(size, size != Size.DW && rnd.nextInt(3) == 0, writable(), p[0], (short) p[1]));
        } else {
            int[] p = place(size.bytes(), true);
            Operand value = rnd.nextBoolean() ? Operand.reg(anyRegister()) : Operand.imm(imm());
            add(new Store(size, p[0], (short) p[1], value));
        }
    }

    private void atomic() {
        Size size = rnd.nextBoolean() ? Size.W : Size.DW;
        AtomicOp op = AtomicOp.values()[rnd.nextInt(AtomicOp.values().length)];
        boolean fetch = op.alwaysFetches() || rnd.nextBoolean();
        int base = rnd.nextBoolean() ? 6 : 10;
        int off = base == 6 ? size.bytes() * rnd.nextInt(DATA / size.bytes()) : -size.bytes() * (1 + rnd.nextInt(8));
        if (rnd.nextInt(15) == 0) {
            off += 1 + rnd.nextInt(size.bytes() - 1); // misaligned
        }
        // a fetch writes src: keep it off the pointers (and the loop counter)
        int src = fetch ? writable() : anyRegister();
        if (op == AtomicOp.CMPXCHG && inLoop && src == 9) {
            src = 0;
        }
        add(new Atomic(size, op, fetch, base, src, (short) off));
    }

    private void helperCall() {
        int id = switch (rnd.nextInt(8)) {
            case 0, 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 5, 6 -> 6;
            default -> 7;
        };
        switch (id) {
            case 3, 7 -> {
                int[] p = place(4, id == 7);
                add(new Alu(true, AluOp.MOV, 1, Operand.reg(p[0])));
                add(new Alu(true, AluOp.ADD, 1, Operand.imm(p[1])));
            }
            case 6 -> {
                if (currentFunction + 1 >= functions) {
                    id = 1;
                } else {
                    int callee = currentFunction + 1 + rnd.nextInt(functions - currentFunction - 1);
                    items.add(new Item(new LoadImm64(1, LoadImm64.Pseudo.NONE, 0), -1, callee, true));
                    add(new Alu(true, AluOp.MOV, 3, Operand.imm(rnd.nextInt(5))));
                }
            }
            default -> {}
        }
        add(Call.helper(id));
    }

    private void callx() {
        int r = writable();
        if (r == 0) {
            r = 2;
        }
        switch (rnd.nextInt(8)) {
            case 0, 1, 2 -> add(new Alu(true, AluOp.MOV, r, Operand.imm(rnd.nextInt(4) != 0 ? 1 : rnd.nextInt(10))));
            case 3, 4, 5 -> {
                if (currentFunction + 1 < functions) {
                    int callee = currentFunction + 1 + rnd.nextInt(functions - currentFunction - 1);
                    items.add(new Item(new LoadImm64(r, LoadImm64.Pseudo.NONE, 0), -1, callee, true));
                } else {
                    add(new Alu(true, AluOp.MOV, r, Operand.imm(1)));
                }
            }
            case 6 -> add(new LoadImm64(r, LoadImm64.Pseudo.NONE,
                    (long) Memory.CODE_REGION << 32 | rnd.nextInt(1 << 12))); // anywhere, maybe unaligned
            default -> {}
        }
        add(new CallReg(r));
    }

    private void legacy() {
        Size size = Size.values()[rnd.nextInt(3)];
        if (rnd.nextBoolean()) {
            add(new LegacyLoad(size, false, 0, rnd.nextInt(30) == 0 ? rnd.nextInt() : rnd.nextInt(-2, LOW + 2)));
        } else {
            int src = anyRegister();
            if (rnd.nextInt(3) != 0 && src != 6 && src != 7 && src != 8 && src != 10 && !(inLoop && src == 9)) {
                add(new Alu(true, AluOp.MOV, src, Operand.imm(rnd.nextInt(LOW))));
            }
            add(new LegacyLoad(size, true, src, rnd.nextInt(-4, 8)));
        }
    }

    private void loop() {
        inLoop = true;
        add(new Alu(rnd.nextBoolean(), AluOp.MOV, 9, Operand.imm(1 + rnd.nextInt(6))));
        int top = newLabel();
        bind(top);
        block(1 + rnd.nextInt(8));
        add(new Alu(rnd.nextBoolean(), AluOp.SUB, 9, Operand.imm(1)));
        JumpOp op = switch (rnd.nextInt(3)) {
            case 0 -> JumpOp.JNE;
            case 1 -> JumpOp.JGT;
            default -> JumpOp.JSGT;
        };
        items.add(new Item(new Branch(rnd.nextBoolean(), op, 9, Operand.imm(0), (short) 0), top, -1, false));
        inLoop = false;
    }
}
