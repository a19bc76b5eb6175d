package org.bpf4j.runtime.interp;

import org.bpf4j.core.isa.Instruction;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Execution;
import org.bpf4j.runtime.Helper;
import org.bpf4j.runtime.HelperContext;
import org.bpf4j.runtime.HelperTable;
import org.bpf4j.runtime.LoadException;
import org.bpf4j.runtime.Program;
import org.bpf4j.runtime.memory.Memory;

/**
 * The reference semantics of the eBPF instruction set (RFC 9669, CPU v1 to v4) over a checked {@link Memory}.
 *
 * <p>One interpreter per executing thread: it owns its registers, call frames and memory. A run allocates
 * nothing. A fault stops the program with a {@link BpfFault} naming the instruction; so does running out of
 * the budget of backward jumps and calls, which keeps an unverified program from hanging the JVM.
 *
 * <pre>{@code
 * var interp = new Interpreter(program, helpers, new Memory());
 * long r0 = interp.run(0, 0);
 * }</pre>
 */
public final class Interpreter implements HelperContext, Execution {
    /** Default budget of backward jumps plus calls per run. */
    public static final long DEFAULT_BUDGET = 1L << 30;

    private static final long MASK32 = 0xffff_ffffL;
    private static final int SAVED = 5; // r6-r9 and r10 per frame

    private final Program program;
    private final long[] code;
    private final Helper[] helpers;
    private final HelperTable helperTable;
    private final Memory memory;
    private final long[] reg = new long[11];
    private final long[] saved = new long[Memory.MAX_FRAMES * SAVED];
    private final int[] returnTo = new int[Memory.MAX_FRAMES];
    private long budget = DEFAULT_BUDGET;
    private boolean exitRequested;
    private long exitValue;
    private int depthAtCall;
    private Object attachment;
    // Registers of the interrupted frames while a helper runs a callback (bpf_loop, for_each_map_elem).
    private final long[] callbackSaved = new long[Memory.MAX_FRAMES * 11];

    /**
     * @throws LoadException when the program calls a helper the table lacks
     */
    public Interpreter(Program program, HelperTable helpers, Memory memory) {
        this.program = program;
        this.code = program.slots();
        this.helperTable = helpers;
        this.helpers = helpers.toArray();
        this.memory = memory;
        for (int at = 0; at < code.length; at++) {
            if (program.at(at) instanceof Instruction.Call c && c.kind() == Instruction.Call.Kind.HELPER
                    && helpers.get(c.imm()) == null) {
                throw new LoadException(at, "call to unknown helper #" + c.imm());
            }
        }
    }

    /** Sets how many backward jumps plus calls one run may make before it faults. */
    @Override
    public Interpreter budget(long backwardJumpsAndCalls) {
        this.budget = backwardJumpsAndCalls;
        return this;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public void exit(long r0) {
        exitRequested = true;
        exitValue = r0;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    /** Sets what helpers of this thread see as {@link HelperContext#attachment()}. */
    @Override
    public Interpreter attach(Object state) {
        this.attachment = state;
        return this;
    }

    /**
     * Runs the function at a code address ({@code CODE_REGION << 32 | index * 8}) as a call from the helper that
     * is executing, in the next stack frame; returns its r0. Registers of the caller are restored afterwards.
     */
    @Override
    public long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5) {
        int to = (int) (codeAddress & MASK32) >>> 3;
        if (codeAddress >>> 32 != Memory.CODE_REGION || (codeAddress & 7) != 0 || to >= code.length
                || program.at(to) == null) {
            throw new BpfFault(BpfFault.Kind.JUMP_OUT, "callback 0x" + Long.toHexString(codeAddress)
                    + " is no instruction of the program", codeAddress);
        }
        int depth = depthAtCall;
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw tooDeep();
        }
        System.arraycopy(reg, 0, callbackSaved, depth * 11, 11);
        try {
            reg[1] = r1;
            reg[2] = r2;
            reg[3] = r3;
            reg[4] = r4;
            reg[5] = r5;
            reg[10] = Memory.stackTop(depth + 1);
            return execute(reg, to, depth + 1);
        } finally {
            System.arraycopy(callbackSaved, depth * 11, reg, 0, 11);
            depthAtCall = depth;
        }
    }

    @Override
    public Program program() {
        return program;
    }

    /** Registers after the last run (r0 to r10), e.g. for differential tests. */
    @Override
    public long register(int r) {
        return reg[r];
    }

    @Override
    public long run(long r1) {
        return run(r1, 0, 0, 0, 0);
    }

    @Override
    public long run(long r1, long r2) {
        return run(r1, r2, 0, 0, 0);
    }

    /** Runs the program from its first instruction with r1 to r5 set; returns r0. */
    @Override
    public long run(long r1, long r2, long r3, long r4, long r5) {
        final long[] r = reg;
        java.util.Arrays.fill(r, 0);
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = Memory.stackTop(0);
        exitRequested = false;
        return execute(r, 0, 0);
    }

    // Runs from startPc until the frame at baseDepth exits.
    private long execute(final long[] r, int startPc, int baseDepth) {
        final long[] code = this.code;
        final Memory mem = this.memory;
        long left = budget;
        int depth = baseDepth;
        int pc = startPc;
        int at = 0;
        try {
        while (true) {
            at = pc;
            if (pc >= code.length) {
                at = code.length - 1;
                throw new BpfFault(BpfFault.Kind.JUMP_OUT, "execution ran past the last instruction", BpfFault.NONE);
            }
            final long s = code[pc++];
            final int dst = (int) (s >>> 8) & 0xf;
            final int src = (int) (s >>> 12) & 0xf;
            final int off = (short) (s >>> 16);
            final int imm = (int) (s >>> 32);
            switch ((int) s & 0xff) {
                // ALU64, immediate sign-extended to 64 bits
                case 0x07 -> r[dst] += imm;
                case 0x0f -> r[dst] += r[src];
                case 0x17 -> r[dst] -= imm;
                case 0x1f -> r[dst] -= r[src];
                case 0x27 -> r[dst] *= imm;
                case 0x2f -> r[dst] *= r[src];
                case 0x37 -> r[dst] = div64(r[dst], imm, off);
                case 0x3f -> r[dst] = div64(r[dst], r[src], off);
                case 0x47 -> r[dst] |= imm;
                case 0x4f -> r[dst] |= r[src];
                case 0x57 -> r[dst] &= imm;
                case 0x5f -> r[dst] &= r[src];
                case 0x67 -> r[dst] <<= imm;
                case 0x6f -> r[dst] <<= r[src];
                case 0x77 -> r[dst] >>>= imm;
                case 0x7f -> r[dst] >>>= r[src];
                case 0x87 -> r[dst] = -r[dst];
                case 0x97 -> r[dst] = mod64(r[dst], imm, off);
                case 0x9f -> r[dst] = mod64(r[dst], r[src], off);
                case 0xa7 -> r[dst] ^= imm;
                case 0xaf -> r[dst] ^= r[src];
                case 0xb7 -> r[dst] = imm;
                case 0xbf -> r[dst] = switch (off) {
                    case 8 -> (byte) r[src];
                    case 16 -> (short) r[src];
                    case 32 -> (int) r[src];
                    default -> r[src];
                };
                case 0xc7 -> r[dst] >>= imm;
                case 0xcf -> r[dst] >>= r[src];
                case 0xd7 -> r[dst] = swap(r[dst], imm);
                // ALU32: operate on the low 32 bits, zero-extend the result
                case 0x04 -> r[dst] = ((int) r[dst] + imm) & MASK32;
                case 0x0c -> r[dst] = ((int) r[dst] + (int) r[src]) & MASK32;
                case 0x14 -> r[dst] = ((int) r[dst] - imm) & MASK32;
                case 0x1c -> r[dst] = ((int) r[dst] - (int) r[src]) & MASK32;
                case 0x24 -> r[dst] = ((int) r[dst] * imm) & MASK32;
                case 0x2c -> r[dst] = ((int) r[dst] * (int) r[src]) & MASK32;
                case 0x34 -> r[dst] = div32((int) r[dst], imm, off);
                case 0x3c -> r[dst] = div32((int) r[dst], (int) r[src], off);
                case 0x44 -> r[dst] = ((int) r[dst] | imm) & MASK32;
                case 0x4c -> r[dst] = ((int) r[dst] | (int) r[src]) & MASK32;
                case 0x54 -> r[dst] = ((int) r[dst] & imm) & MASK32;
                case 0x5c -> r[dst] = ((int) r[dst] & (int) r[src]) & MASK32;
                case 0x64 -> r[dst] = ((int) r[dst] << imm) & MASK32;
                case 0x6c -> r[dst] = ((int) r[dst] << (int) r[src]) & MASK32;
                case 0x74 -> r[dst] = ((int) r[dst] >>> imm) & MASK32;
                case 0x7c -> r[dst] = ((int) r[dst] >>> (int) r[src]) & MASK32;
                case 0x84 -> r[dst] = (-(int) r[dst]) & MASK32;
                case 0x94 -> r[dst] = mod32((int) r[dst], imm, off);
                case 0x9c -> r[dst] = mod32((int) r[dst], (int) r[src], off);
                case 0xa4 -> r[dst] = ((int) r[dst] ^ imm) & MASK32;
                case 0xac -> r[dst] = ((int) r[dst] ^ (int) r[src]) & MASK32;
                case 0xb4 -> r[dst] = imm & MASK32;
                case 0xbc -> r[dst] = switch (off) {
                    case 8 -> (byte) r[src] & MASK32;
                    case 16 -> (short) r[src] & MASK32;
                    default -> r[src] & MASK32;
                };
                case 0xc4 -> r[dst] = ((int) r[dst] >> imm) & MASK32;
                case 0xcc -> r[dst] = ((int) r[dst] >> (int) r[src]) & MASK32;
                case 0xd4 -> r[dst] = imm == 16 ? r[dst] & 0xffff : imm == 32 ? r[dst] & MASK32 : r[dst];
                case 0xdc -> r[dst] = swap(r[dst], imm);
                // loads, zero- and sign-extending
                case 0x61 -> r[dst] = mem.load32(r[src] + off);
                case 0x69 -> r[dst] = mem.load16(r[src] + off);
                case 0x71 -> r[dst] = mem.load8(r[src] + off);
                case 0x79 -> r[dst] = mem.load64(r[src] + off);
                case 0x81 -> r[dst] = (int) mem.load32(r[src] + off);
                case 0x89 -> r[dst] = (short) mem.load16(r[src] + off);
                case 0x91 -> r[dst] = (byte) mem.load8(r[src] + off);
                // stores
                case 0x62 -> mem.store32(r[dst] + off, imm);
                case 0x6a -> mem.store16(r[dst] + off, imm);
                case 0x72 -> mem.store8(r[dst] + off, imm);
                case 0x7a -> mem.store64(r[dst] + off, imm);
                case 0x63 -> mem.store32(r[dst] + off, r[src]);
                case 0x6b -> mem.store16(r[dst] + off, r[src]);
                case 0x73 -> mem.store8(r[dst] + off, r[src]);
                case 0x7b -> mem.store64(r[dst] + off, r[src]);
                case 0xc3 -> atomic(r, mem, 4, dst, src, off, imm);
                case 0xdb -> atomic(r, mem, 8, dst, src, off, imm);
                // lddw: the second slot holds the high half
                case 0x18 -> r[dst] = (imm & MASK32) | (code[pc++] & 0xffff_ffff_0000_0000L);
                // legacy packet loads: big endian from the low region; out of bounds ends the program with 0
                case 0x20 -> { if ((r[0] = legacy(imm, 4)) < 0) return r[0] = 0; }
                case 0x28 -> { if ((r[0] = legacy(imm, 2)) < 0) return r[0] = 0; }
                case 0x30 -> { if ((r[0] = legacy(imm, 1)) < 0) return r[0] = 0; }
                case 0x40 -> { if ((r[0] = legacy((long) (int) r[src] + imm, 4)) < 0) return r[0] = 0; }
                case 0x48 -> { if ((r[0] = legacy((long) (int) r[src] + imm, 2)) < 0) return r[0] = 0; }
                case 0x50 -> { if ((r[0] = legacy((long) (int) r[src] + imm, 1)) < 0) return r[0] = 0; }
                // jumps
                case 0x05 -> {
                    pc += off;
                    if (off < 0 && --left < 0) throw exhausted();
                }
                case 0x06 -> {
                    pc += imm;
                    if (imm < 0 && --left < 0) throw exhausted();
                }
                case 0x15 -> { if (r[dst] == imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x1d -> { if (r[dst] == r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x25 -> { if (Long.compareUnsigned(r[dst], imm) > 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x2d -> { if (Long.compareUnsigned(r[dst], r[src]) > 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x35 -> { if (Long.compareUnsigned(r[dst], imm) >= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x3d -> { if (Long.compareUnsigned(r[dst], r[src]) >= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x45 -> { if ((r[dst] & imm) != 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x4d -> { if ((r[dst] & r[src]) != 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x55 -> { if (r[dst] != imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x5d -> { if (r[dst] != r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x65 -> { if (r[dst] > imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x6d -> { if (r[dst] > r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x75 -> { if (r[dst] >= imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x7d -> { if (r[dst] >= r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xa5 -> { if (Long.compareUnsigned(r[dst], imm) < 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xad -> { if (Long.compareUnsigned(r[dst], r[src]) < 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xb5 -> { if (Long.compareUnsigned(r[dst], imm) <= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xbd -> { if (Long.compareUnsigned(r[dst], r[src]) <= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xc5 -> { if (r[dst] < imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xcd -> { if (r[dst] < r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xd5 -> { if (r[dst] <= imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xdd -> { if (r[dst] <= r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                // JMP32: compare the low 32 bits
                case 0x16 -> { if ((int) r[dst] == imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x1e -> { if ((int) r[dst] == (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x26 -> { if (Integer.compareUnsigned((int) r[dst], imm) > 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x2e -> { if (Integer.compareUnsigned((int) r[dst], (int) r[src]) > 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x36 -> { if (Integer.compareUnsigned((int) r[dst], imm) >= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x3e -> { if (Integer.compareUnsigned((int) r[dst], (int) r[src]) >= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x46 -> { if (((int) r[dst] & imm) != 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x4e -> { if (((int) r[dst] & (int) r[src]) != 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x56 -> { if ((int) r[dst] != imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x5e -> { if ((int) r[dst] != (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x66 -> { if ((int) r[dst] > imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x6e -> { if ((int) r[dst] > (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x76 -> { if ((int) r[dst] >= imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0x7e -> { if ((int) r[dst] >= (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xa6 -> { if (Integer.compareUnsigned((int) r[dst], imm) < 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xae -> { if (Integer.compareUnsigned((int) r[dst], (int) r[src]) < 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xb6 -> { if (Integer.compareUnsigned((int) r[dst], imm) <= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xbe -> { if (Integer.compareUnsigned((int) r[dst], (int) r[src]) <= 0) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xc6 -> { if ((int) r[dst] < imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xce -> { if ((int) r[dst] < (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xd6 -> { if ((int) r[dst] <= imm) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                case 0xde -> { if ((int) r[dst] <= (int) r[src]) { pc += off; if (off < 0 && --left < 0) throw exhausted(); } }
                // calls and exit
                case 0x85 -> {
                    if (--left < 0) throw exhausted();
                    if (src == 0) {
                        depthAtCall = depth;
                        if (callHelper(r, imm)) return r[0] = exitValue;
                    } else {
                        // local call: save the callee-saved registers and the frame pointer
                        if (depth + 1 >= Memory.MAX_FRAMES) throw tooDeep();
                        int base = depth * SAVED;
                        System.arraycopy(r, 6, saved, base, SAVED);
                        returnTo[depth++] = pc;
                        r[10] = Memory.stackTop(depth);
                        pc += imm;
                    }
                }
                case 0x8d -> {
                    if (--left < 0) throw exhausted();
                    long target = r[dst];
                    if (target >>> 32 == Memory.CODE_REGION) {
                        int to = (int) (target & MASK32) >>> 3;
                        if ((target & 7) != 0 || to >= code.length || program.at(to) == null) {
                            throw new BpfFault(BpfFault.Kind.JUMP_OUT, "callx to 0x" + Long.toHexString(target)
                                    + ", which is no instruction of the program", target);
                        }
                        if (depth + 1 >= Memory.MAX_FRAMES) throw tooDeep();
                        System.arraycopy(r, 6, saved, depth * SAVED, SAVED);
                        returnTo[depth++] = pc;
                        r[10] = Memory.stackTop(depth);
                        pc = to;
                    } else if ((depthAtCall = depth) >= 0 && callHelper(r, target)) {
                        return r[0] = exitValue;
                    }
                }
                case 0x95 -> {
                    if (depth == baseDepth) return r[0];
                    pc = returnTo[--depth];
                    System.arraycopy(saved, depth * SAVED, r, 6, SAVED);
                }
                default -> throw new BpfFault(BpfFault.Kind.JUMP_OUT, "invalid opcode 0x"
                        + Integer.toHexString((int) s & 0xff) + " (the second slot of lddw?)", BpfFault.NONE);
            }
        }
        } catch (BpfFault f) {
            throw f.pc() >= 0 ? f : f.at(at, program.describe(at));
        } catch (RuntimeException e) {
            // A bug of ours, not the program's: still a fault with a location, never a raw exception.
            throw new BpfFault(BpfFault.Kind.INTERNAL, "internal error: " + e, BpfFault.NONE).at(at, program.describe(at));
        }
    }

    // Returns true when the helper asked the program to end.
    private boolean callHelper(long[] r, long id) {
        Helper h = id >= 0 && id < helpers.length ? helpers[(int) id] : null;
        if (h == null) {
            throw new BpfFault(BpfFault.Kind.UNKNOWN_HELPER, "call to unknown helper #" + id, BpfFault.NONE);
        }
        try {
            r[0] = h.call(this, r[1], r[2], r[3], r[4], r[5]);
        } catch (BpfFault f) {
            throw f;
        } catch (RuntimeException | StackOverflowError e) {
            throw BpfFault.helperFailed(helperTable.name(id) + " (#" + id + ")", e);
        }
        return exitRequested;
    }

    private static long div64(long a, long b, int signed) {
        if (b == 0) return 0;
        return signed != 0 ? a / b : Long.divideUnsigned(a, b);
    }

    private static long mod64(long a, long b, int signed) {
        if (b == 0) return a;
        return signed != 0 ? a % b : Long.remainderUnsigned(a, b);
    }

    private static long div32(int a, int b, int signed) {
        if (b == 0) return 0;
        return (signed != 0 ? a / b : Integer.divideUnsigned(a, b)) & MASK32;
    }

    private static long mod32(int a, int b, int signed) {
        // modulo by zero leaves the low 32 bits, zero-extended
        if (b == 0) return a & MASK32;
        return (signed != 0 ? a % b : Integer.remainderUnsigned(a, b)) & MASK32;
    }

    private static long swap(long v, int width) {
        return switch (width) {
            case 16 -> Short.reverseBytes((short) v) & 0xffffL;
            case 32 -> Integer.reverseBytes((int) v) & MASK32;
            default -> Long.reverseBytes(v);
        };
    }

    private void atomic(long[] r, Memory mem, int size, int dst, int src, int off, int op) {
        long addr = r[dst] + off;
        long value = size == 4 ? r[src] & MASK32 : r[src];
        switch (op) {
            case 0x00, 0x40, 0x50, 0xa0 -> mem.atomic(addr, size, op, value);
            case 0x01, 0x41, 0x51, 0xa1, 0xe1 -> r[src] = mem.atomic(addr, size, op & ~1, value);
            default -> r[0] = mem.compareAndExchange(addr, size, size == 4 ? r[0] & MASK32 : r[0], value);
        }
    }

    // Big-endian load at an offset into the low region, or -1 when out of bounds.
    private long legacy(long offset, int size) {
        var low = memory.region(Memory.LOW_REGION);
        if (low == null || offset < 0 || offset > low.segment().byteSize() - size) {
            return -1;
        }
        long v = memory.load(low.address(offset), size);
        return switch (size) {
            case 1 -> v;
            case 2 -> Short.reverseBytes((short) v) & 0xffffL;
            default -> Integer.reverseBytes((int) v) & MASK32;
        };
    }

    private static BpfFault exhausted() {
        return new BpfFault(BpfFault.Kind.BUDGET_EXHAUSTED,
                "instruction budget exhausted (too many backward jumps and calls: an endless loop?)", BpfFault.NONE);
    }

    private static BpfFault tooDeep() {
        return new BpfFault(BpfFault.Kind.CALL_DEPTH, "call depth exceeds " + Memory.MAX_FRAMES + " frames",
                BpfFault.NONE);
    }
}
