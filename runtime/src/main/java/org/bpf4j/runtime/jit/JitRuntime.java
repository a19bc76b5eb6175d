package org.bpf4j.runtime.jit;

import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Helper;
import org.bpf4j.runtime.memory.Memory;

/**
 * Static support the generated code calls: arithmetic with eBPF's edge cases, the classic packet loads, and the
 * construction of faults. Small, so that HotSpot inlines the hot ones; the fault builders are cold.
 */
final class JitRuntime {
    private JitRuntime() {}

    static final long MASK32 = 0xffff_ffffL;

    // ---- division: by zero gives 0 (div) or the dividend (mod); MIN / -1 wraps, as the JVM's does

    static long sdiv64(long a, long b) {
        return b == 0 ? 0 : a / b;
    }

    static long udiv64(long a, long b) {
        return b == 0 ? 0 : Long.divideUnsigned(a, b);
    }

    static long smod64(long a, long b) {
        return b == 0 ? a : a % b;
    }

    static long umod64(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long sdiv32(int a, int b) {
        return b == 0 ? 0 : (a / b) & MASK32;
    }

    static long udiv32(int a, int b) {
        return b == 0 ? 0 : Integer.divideUnsigned(a, b) & MASK32;
    }

    static long smod32(int a, int b) {
        return (b == 0 ? a : a % b) & MASK32;
    }

    static long umod32(int a, int b) {
        return (b == 0 ? a : Integer.remainderUnsigned(a, b)) & MASK32;
    }

    /** Big-endian load at an offset into the low region, or -1 when out of bounds (LD_ABS, LD_IND). */
    static long legacy(Memory memory, long offset, int size) {
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

    /** The region of a split function holding instruction {@code pc}: the last whose first instruction is not after it. */
    static int region(int[] starts, int pc) {
        int lo = 0, hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= pc) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    // ---- faults, without a location: the method's handler adds it

    static BpfFault exhausted() {
        return new BpfFault(BpfFault.Kind.BUDGET_EXHAUSTED,
                "instruction budget exhausted (too many backward jumps and calls: an endless loop?)", BpfFault.NONE);
    }

    static BpfFault tooDeep() {
        return new BpfFault(BpfFault.Kind.CALL_DEPTH, "call depth exceeds " + Memory.MAX_FRAMES + " frames",
                BpfFault.NONE);
    }

    static BpfFault fellOff() {
        return new BpfFault(BpfFault.Kind.JUMP_OUT, "execution ran past the last instruction", BpfFault.NONE);
    }

    static BpfFault invalidOpcode(int opcode) {
        return new BpfFault(BpfFault.Kind.JUMP_OUT, "invalid opcode 0x" + Integer.toHexString(opcode)
                + " (the second slot of lddw?)", BpfFault.NONE);
    }

    static RuntimeException noEntry(int entry) {
        return new IllegalStateException("no compiled function starts at instruction " + entry);
    }

    /**
     * Calls helper {@code id} for {@code call id}: what a helper throws becomes HELPER_FAILED naming it, as in the
     * interpreter. Small, so HotSpot inlines it, and with it the helper, whose receiver is a constant of the class.
     */
    static long callHelper(Helper h, JitExecution x, int id, long r1, long r2, long r3, long r4, long r5) {
        try {
            return h.call(x, r1, r2, r3, r4, r5);
        } catch (BpfFault f) {
            throw f;
        } catch (RuntimeException | StackOverflowError e) {
            throw BpfFault.helperFailed(x.helperTable().name(id) + " (#" + id + ")", e);
        }
    }

    /**
     * What a generated method's handler throws: the fault located at the instruction {@code pc} (unless an inner
     * frame located it already), after recording the registers of the innermost frame that saw it.
     */
    static RuntimeException fault(RuntimeException t, JitExecution x, int pc, long r0, long r1, long r2, long r3,
            long r4, long r5, long r6, long r7, long r8, long r9, long r10) {
        if (!x.dumped) {
            long[] r = x.regs;
            r[0] = r0;
            r[1] = r1;
            r[2] = r2;
            r[3] = r3;
            r[4] = r4;
            r[5] = r5;
            r[6] = r6;
            r[7] = r7;
            r[8] = r8;
            r[9] = r9;
            r[10] = r10;
            x.dumped = true;
        }
        if (t instanceof BpfFault f) {
            return f.pc() >= 0 ? f : f.at(pc, x.program().describe(pc));
        }
        // A bug of ours, not the program's: still a fault with a location, never a raw exception.
        return new BpfFault(BpfFault.Kind.INTERNAL, "internal error: " + t, BpfFault.NONE)
                .at(pc, x.program().describe(pc));
    }
}
