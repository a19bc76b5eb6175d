package org.bpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_short;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import org.bpf4j.runtime.BpfFault;
import org.bpf4j.runtime.Helper;
import org.bpf4j.runtime.memory.Memory;

/**
 * Generates and defines the hidden class of a program. It works on the raw slots, opcode by opcode, as the
 * interpreter does, so that the two agree instruction for instruction.
 *
 * <p>Layout of the class: one static method per function ({@code f<entry>}), taking the execution, the memory,
 * the frame depth and the caller's r0 to r9, returning r0; at its exit it stores its registers into
 * {@link JitExecution#regs} (a caller takes r1 to r5 from there; r6 to r9 and r10 stay in the caller's locals,
 * which is how they are "restored"). A function whose estimated size exceeds the region limit becomes a driver
 * method that loops over region methods ({@code f<entry>r<k>}, each taking the instruction to start at and
 * returning the next one, registers handed over through {@code regs}). Every method keeps the index of the
 * instruction that may fault next in a local {@code pc}, set only before memory accesses, calls and faults, and
 * wraps its body in one handler that locates the fault there ({@link JitRuntime#fault}), recording the registers
 * of the innermost frame. Helpers are constants of the class (class data, loaded by {@code ldc} of a dynamic
 * constant), called through {@link JitRuntime#callHelper}, which HotSpot inlines together with the helper.
 * Memory accesses are calls of {@link Memory}'s accessors, so each is checked exactly as in the interpreter.
 */
final class Codegen {
    private Codegen() {}

    record Generated(byte[] bytes, List<Object> classData, boolean[] entries) {}

    record Result(JitCode code, boolean[] entries) {}

    // ---- descriptors

    private static final ClassDesc CD_EXEC = desc(JitExecution.class);
    private static final ClassDesc CD_MEMORY = desc(Memory.class);
    private static final ClassDesc CD_RT = desc(JitRuntime.class);
    private static final ClassDesc CD_CODE = desc(JitCode.class);
    private static final ClassDesc CD_HELPER = desc(Helper.class);
    private static final ClassDesc CD_FAULT = desc(BpfFault.class);
    private static final ClassDesc CD_RUNTIME_EXCEPTION = desc(RuntimeException.class);
    private static final ClassDesc CD_LONG_ARRAY = CD_long.arrayType();
    private static final ClassDesc CD_INT_ARRAY = CD_int.arrayType();
    private static final ClassDesc CD_LONG_BOX = desc(Long.class);
    private static final ClassDesc CD_INT_BOX = desc(Integer.class);
    private static final ClassDesc CD_SHORT_BOX = desc(Short.class);
    private static final ClassDesc THIS = ClassDesc.of(Codegen.class.getPackageName() + ".Bpf");

    private static final ClassDesc[] TEN_LONGS = new ClassDesc[10];

    static {
        Arrays.fill(TEN_LONGS, CD_long);
    }

    /** A function: (execution, memory, depth, r0..r9) -> r0. */
    private static final MethodTypeDesc MT_FUNCTION = MethodTypeDesc.of(CD_long,
            concat(new ClassDesc[] {CD_EXEC, CD_MEMORY, CD_int}, TEN_LONGS));
    /** A region: (execution, memory, depth, pc) -> next pc, or -1 when the function is done. */
    private static final MethodTypeDesc MT_REGION = MethodTypeDesc.of(CD_int, CD_EXEC, CD_MEMORY, CD_int, CD_int);
    private static final MethodTypeDesc MT_CALL = MethodTypeDesc.of(CD_long,
            concat(new ClassDesc[] {CD_int, CD_EXEC, CD_MEMORY, CD_int}, TEN_LONGS));
    private static final MethodTypeDesc MT_CALL_ADDRESS = MethodTypeDesc.of(CD_long,
            concat(new ClassDesc[] {CD_long, CD_int}, TEN_LONGS));
    private static final MethodTypeDesc MT_CALL_HELPER = MethodTypeDesc.of(CD_long,
            CD_long, CD_long, CD_long, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc MT_HELPER = MethodTypeDesc.of(CD_long,
            CD_HELPER, CD_EXEC, CD_int, CD_long, CD_long, CD_long, CD_long, CD_long);
    private static final MethodTypeDesc MT_LOAD = MethodTypeDesc.of(CD_long, CD_long);
    private static final MethodTypeDesc MT_STORE = MethodTypeDesc.of(CD_void, CD_long, CD_long);
    private static final MethodTypeDesc MT_ATOMIC = MethodTypeDesc.of(CD_long, CD_long, CD_int, CD_int, CD_long);
    private static final MethodTypeDesc MT_CMPXCHG = MethodTypeDesc.of(CD_long, CD_long, CD_int, CD_long, CD_long);
    private static final MethodTypeDesc MT_LL_L = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc MT_II_L = MethodTypeDesc.of(CD_long, CD_int, CD_int);
    private static final MethodTypeDesc MT_LEGACY = MethodTypeDesc.of(CD_long, CD_MEMORY, CD_long, CD_int);
    private static final MethodTypeDesc MT_REGION_OF = MethodTypeDesc.of(CD_int, CD_INT_ARRAY, CD_int);
    private static final MethodTypeDesc MT_FAULT0 = MethodTypeDesc.of(CD_FAULT);
    private static final MethodTypeDesc MT_INVALID = MethodTypeDesc.of(CD_FAULT, CD_int);
    private static final MethodTypeDesc MT_NO_ENTRY = MethodTypeDesc.of(CD_RUNTIME_EXCEPTION, CD_int);
    private static final MethodTypeDesc MT_LOCATE = MethodTypeDesc.of(CD_RUNTIME_EXCEPTION,
            concat(new ClassDesc[] {CD_RUNTIME_EXCEPTION, CD_EXEC, CD_int}, concat(TEN_LONGS, new ClassDesc[] {CD_long})));

    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver()
                    .orElse(ClassHierarchyResolver.ofClassLoading(Codegen.class.getClassLoader()))
                    .cached(() -> Collections.synchronizedMap(new HashMap<>()))));

    private static ClassDesc desc(Class<?> c) {
        return c.describeConstable().orElseThrow();
    }

    private static ClassDesc[] concat(ClassDesc[] a, ClassDesc[] b) {
        ClassDesc[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- decoding, as the interpreter does it

    static int opcode(long s) {
        return (int) s & 0xff;
    }

    static int dst(long s) {
        return (int) (s >>> 8) & 0xf;
    }

    static int src(long s) {
        return (int) (s >>> 12) & 0xf;
    }

    static int off(long s) {
        return (short) (s >>> 16);
    }

    static int imm(long s) {
        return (int) (s >>> 32);
    }

    /** The instruction after the one at {@code pc} (lddw takes two slots). */
    static int next(long[] slots, int pc) {
        return pc + (opcode(slots[pc]) == 0x18 ? 2 : 1);
    }

    private static boolean isConditionalJump(int op) {
        int cls = op & 0x0f;
        if (cls != 0x05 && cls != 0x0d && cls != 0x06 && cls != 0x0e) {
            return false;
        }
        return switch (op >>> 4) {
            case 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0xa, 0xb, 0xc, 0xd -> true;
            default -> false;
        };
    }

    private static boolean isValid(int op) {
        return switch (op) {
            case 0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f,
                    0x87, 0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd7,
                    0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c,
                    0x84, 0x94, 0x9c, 0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xd4, 0xdc,
                    0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91,
                    0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb,
                    0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50,
                    0x05, 0x06, 0x85, 0x8d, 0x95 -> true;
            default -> isConditionalJump(op);
        };
    }

    /** Jump target of a jump at {@code pc}, or -1 when it is no jump. */
    private static int target(long s, int pc) {
        int op = opcode(s);
        if (op == 0x05 || isConditionalJump(op)) {
            return pc + 1 + off(s);
        }
        if (op == 0x06) {
            return pc + 1 + imm(s);
        }
        return -1;
    }

    /** Whether execution may continue with the next instruction. */
    private static boolean fallsThrough(int op) {
        return op != 0x95 && op != 0x05 && op != 0x06 && isValid(op);
    }

    /** An upper bound of the bytecode an instruction compiles to, for splitting large functions. */
    static int estimate(long s) {
        int op = opcode(s);
        return switch (op) {
            case 0x85 -> src(s) == 0 ? 120 : 150;
            case 0x8d -> 280;
            case 0x95 -> 5;
            case 0x05, 0x06 -> 40;
            case 0x18 -> 10;
            case 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 -> 45;
            case 0xc3, 0xdb -> 50;
            default -> isConditionalJump(op) ? 70 : (op & 0x07) <= 3 ? 32 : 24; // + fall-through
        };
    }

    private static final int METHOD_OVERHEAD = 500;
    /** Programs of more slots than this build constants from halves instead of the constant pool. */
    static final int LARGE_PROGRAM = 16_000;
    private static final int LARGE_EXTRA = 40;
    private static final int PER_ENTRY = 8;

    // ---- the program's functions

    private static final class Function {
        final int entry;
        final int id;
        int[] pcs; // sorted
        int[] regionStarts; // null: not split
        List<List<Integer>> regionEntries;

        Function(int entry, int id) {
            this.entry = entry;
            this.id = id;
        }

        String name() {
            return "f" + entry;
        }
    }

    /** Compiles and defines the class; {@code roots} null for a program's main class. */
    static Result define(long[] slots, Helper[] helpers, int[] roots, int regionLimit, boolean forceLarge) {
        Generated g = generate(slots, helpers, roots, regionLimit, forceLarge);
        try {
            MethodHandles.Lookup l = MethodHandles.lookup().defineHiddenClassWithClassData(g.bytes(), g.classData(), true);
            JitCode code = (JitCode) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
            return new Result(code, g.entries());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot define the compiled class", t);
        }
    }

    static Generated generate(long[] slots, Helper[] helpers, int[] roots, int regionLimit, boolean forceLarge) {
        return new Codegen.Generator(slots, helpers, regionLimit, forceLarge).generate(roots);
    }

    private static final class Generator {
        final long[] slots;
        final int n;
        final Helper[] helpers;
        final int regionLimit;
        final boolean[] starts;
        final List<Function> functions = new ArrayList<>();
        final Function[] functionAt;
        final int[] stamp; // function id + 1 of the function being laid out, per instruction
        final int[] regionOf;
        final int[] position; // index of an instruction among those of the method being emitted
        final List<Object> classData = new ArrayList<>();
        final int[] helperIndex;
        /** Whether constants must be kept out of the constant pool (see pushInt). */
        final boolean large;

        Generator(long[] slots, Helper[] helpers, int regionLimit, boolean forceLarge) {
            this.slots = slots;
            this.n = slots.length;
            this.helpers = helpers;
            this.regionLimit = regionLimit;
            this.starts = new boolean[n];
            for (int pc = 0; pc < n; pc = next(slots, pc)) {
                starts[pc] = true;
            }
            this.functionAt = new Function[n];
            this.stamp = new int[n];
            this.regionOf = new int[n];
            this.position = new int[n];
            this.helperIndex = new int[helpers.length];
            Arrays.fill(helperIndex, -1);
            this.large = forceLarge || n > LARGE_PROGRAM;
        }

        /** An upper bound of the bytecode of one instruction, with the longer constants of large programs. */
        int cost(long s) {
            return estimate(s) + (large ? LARGE_EXTRA : 0);
        }

        Generated generate(int[] roots) {
            List<Integer> work = new ArrayList<>();
            if (roots == null) {
                work.add(0);
                // functions whose address the program loads (callbacks, callx targets)
                for (int pc = 0; pc < n; pc = next(slots, pc)) {
                    if (opcode(slots[pc]) == 0x18 && pc + 1 < n) {
                        long v = (imm(slots[pc]) & 0xffff_ffffL) | (slots[pc + 1] & 0xffff_ffff_0000_0000L);
                        int to = (int) (v & 0xffff_ffffL) >>> 3;
                        if (v >>> 32 == Memory.CODE_REGION && (v & 7) == 0 && to < n && starts[to]) {
                            work.add(to);
                        }
                    }
                }
            } else {
                for (int r : roots) {
                    work.add(r);
                }
            }
            while (!work.isEmpty()) {
                int e = work.removeLast();
                if (functionAt[e] != null) {
                    continue;
                }
                Function f = new Function(e, functions.size());
                functionAt[e] = f;
                functions.add(f);
                layOut(f, work);
            }
            boolean[] entries = new boolean[n];
            for (Function f : functions) {
                entries[f.entry] = true;
            }
            byte[] bytes = CLASS_FILE.build(THIS, cb -> {
                cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
                cb.withInterfaceSymbols(CD_CODE);
                cb.withMethodBody("<init>", MethodTypeDesc.of(CD_void), ClassFile.ACC_PUBLIC, code -> code
                        .aload(0)
                        .invokespecial(CD_Object, "<init>", MethodTypeDesc.of(CD_void))
                        .return_());
                cb.withMethodBody("call", MT_CALL, ClassFile.ACC_PUBLIC, this::dispatch);
                for (Function f : functions) {
                    if (f.regionStarts == null) {
                        cb.withMethodBody(f.name(), MT_FUNCTION, ClassFile.ACC_STATIC,
                                code -> new MethodGen(code, f, -1).emit());
                    } else {
                        int startsIndex = constant(f.regionStarts);
                        cb.withMethodBody(f.name(), MT_FUNCTION, ClassFile.ACC_STATIC,
                                code -> driver(code, f, startsIndex));
                        for (int k = 0; k < f.regionStarts.length; k++) {
                            int region = k;
                            cb.withMethodBody(f.name() + "r" + k, MT_REGION, ClassFile.ACC_STATIC,
                                    code -> new MethodGen(code, f, region).emit());
                        }
                    }
                }
            });
            return new Generated(bytes, List.copyOf(classData), entries);
        }

        int constant(Object o) {
            classData.add(o);
            return classData.size() - 1;
        }

        DynamicConstantDesc<?> classDataAt(int index, ClassDesc type) {
            return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, type,
                    index);
        }

        /** Finds the instructions reachable from the function's entry, queues its callees, splits it if large. */
        void layOut(Function f, List<Integer> work) {
            int mark = f.id + 1;
            int[] queue = new int[16];
            int head = 0, tail = 0;
            queue[tail++] = f.entry;
            stamp[f.entry] = mark;
            int count = 0;
            long size = METHOD_OVERHEAD;
            while (head < tail) {
                int pc = queue[head++];
                count++;
                long s = slots[pc];
                int op = opcode(s);
                size += cost(s);
                if (op == 0x85 && src(s) != 0) {
                    work.add(pc + 1 + imm(s));
                }
                int t = target(s, pc);
                int fall = fallsThrough(op) ? next(slots, pc) : -1;
                for (int succ : new int[] {t, fall}) {
                    if (succ >= 0 && succ < n && stamp[succ] != mark) {
                        stamp[succ] = mark;
                        if (tail == queue.length) {
                            queue = Arrays.copyOf(queue, queue.length * 2);
                        }
                        queue[tail++] = succ;
                    }
                }
            }
            int[] pcs = Arrays.copyOf(queue, tail);
            Arrays.sort(pcs);
            f.pcs = pcs;
            if (size <= regionLimit) {
                return;
            }
            // split: consecutive runs of instructions, each under the limit
            List<Integer> regionStarts = new ArrayList<>();
            long cur = Integer.MAX_VALUE; // the first instruction starts a region
            for (int pc : pcs) {
                int c = cost(slots[pc]) + PER_ENTRY;
                if (cur + c > regionLimit) {
                    regionStarts.add(pc);
                    cur = METHOD_OVERHEAD;
                }
                cur += c;
                regionOf[pc] = regionStarts.size() - 1;
            }
            f.regionStarts = regionStarts.stream().mapToInt(Integer::intValue).toArray();
            f.regionEntries = new ArrayList<>();
            boolean[] isEntry = new boolean[n];
            for (int k = 0; k < f.regionStarts.length; k++) {
                f.regionEntries.add(new ArrayList<>());
            }
            isEntry[f.entry] = true;
            for (int pc : pcs) {
                long s = slots[pc];
                int t = target(s, pc);
                int fall = fallsThrough(opcode(s)) ? next(slots, pc) : -1;
                for (int succ : new int[] {t, fall}) {
                    if (succ >= 0 && succ < n && regionOf[succ] != regionOf[pc]) {
                        isEntry[succ] = true;
                    }
                }
            }
            for (int pc : pcs) {
                if (isEntry[pc]) {
                    f.regionEntries.get(regionOf[pc]).add(pc);
                }
            }
        }

        /** {@code JitCode.call}: a switch over the functions' entries. */
        void dispatch(CodeBuilder code) {
            Label none = code.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            List<Label> labels = new ArrayList<>();
            List<Function> functions = new ArrayList<>(this.functions);
            functions.sort(java.util.Comparator.comparingInt(f -> f.entry));
            for (Function f : functions) {
                Label l = code.newLabel();
                cases.add(SwitchCase.of(f.entry, l));
                labels.add(l);
            }
            code.iload(1).lookupswitch(none, cases);
            for (int i = 0; i < functions.size(); i++) {
                code.labelBinding(labels.get(i)).aload(2).aload(3).iload(4);
                for (int r = 0; r < 10; r++) {
                    code.lload(5 + 2 * r);
                }
                code.invokestatic(THIS, functions.get(i).name(), MT_FUNCTION).lreturn();
            }
            code.labelBinding(none).iload(1).invokestatic(CD_RT, "noEntry", MT_NO_ENTRY).athrow();
        }

        /** A split function: stores the registers for the first region, then runs region after region. */
        void driver(CodeBuilder code, Function f, int startsIndex) {
            final int regs = 23, pc = 24;
            code.aload(0).getfield(CD_EXEC, "regs", CD_LONG_ARRAY).astore(regs);
            for (int r = 0; r < 10; r++) {
                code.aload(regs).loadConstant(r).lload(3 + 2 * r).lastore();
            }
            code.aload(regs).loadConstant(10);
            stackTop(code);
            code.lastore();
            pushInt(code, f.entry);
            code.istore(pc);
            Label loop = code.newBoundLabel();
            Label bad = code.newLabel();
            Label check = code.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            List<Label> labels = new ArrayList<>();
            for (int k = 0; k < f.regionStarts.length; k++) {
                Label l = code.newLabel();
                cases.add(SwitchCase.of(k, l));
                labels.add(l);
            }
            code.ldc(classDataAt(startsIndex, CD_INT_ARRAY)).iload(pc).invokestatic(CD_RT, "region", MT_REGION_OF)
                    .tableswitch(0, f.regionStarts.length - 1, bad, cases);
            for (int k = 0; k < labels.size(); k++) {
                code.labelBinding(labels.get(k)).aload(0).aload(1).iload(2).iload(pc)
                        .invokestatic(THIS, f.name() + "r" + k, MT_REGION).istore(pc).goto_(check);
            }
            code.labelBinding(check).iload(pc).ifge(loop);
            code.aload(regs).iconst_0().laload().lreturn();
            code.labelBinding(bad).iload(pc).invokestatic(CD_RT, "noEntry", MT_NO_ENTRY).athrow();
        }

        /**
         * Pushes an int. A large program would overflow the constant pool (65,535 entries) with one entry per
         * distinct constant, so there constants beyond 16 bits are built from two 16-bit halves instead, which
         * HotSpot folds back into one.
         */
        void pushInt(CodeBuilder code, int v) {
            if (!large || v == (short) v) {
                code.loadConstant(v);
            } else {
                int low = (short) v;
                code.sipush((short) ((v - low) >>> 16)).bipush(16).ishl().sipush(low).iadd();
            }
        }

        /** Pushes a long, as {@link #pushInt} does (small values as ints, widened). */
        void pushLong(CodeBuilder code, long v) {
            if (v == (int) v && v != 0 && v != 1) {
                pushInt(code, (int) v);
                code.i2l();
            } else if (!large || v == 0 || v == 1) {
                code.loadConstant(v);
            } else {
                pushInt(code, (int) (v >>> 32));
                code.i2l().bipush(32).lshl();
                pushInt(code, (int) v);
                code.i2l().loadConstant(JitRuntime.MASK32).land().lor();
            }
        }

        /** Pushes the frame pointer of the frame at the depth in local 2: stackTop(depth). */
        static void stackTop(CodeBuilder code) {
            code.iload(2).iconst_1().iadd().i2l().bipush(32).lshl().sipush(Memory.STACK_SIZE).i2l().lor();
        }

        /** Emits one method: a whole function ({@code region < 0}) or one region of a split one. */
        final class MethodGen {
            final CodeBuilder cb;
            final Function f;
            final int region;
            final boolean whole;
            // local slots
            final int rBase, left, pcSlot, regs, nextSlot;
            Label[] labels; // by position in the method's instructions (see position)
            Label exitBlock, unwindBlock, propagateBlock, jumpOutBlock;

            MethodGen(CodeBuilder cb, Function f, int region) {
                this.cb = cb;
                this.f = f;
                this.region = region;
                this.whole = region < 0;
                if (whole) {
                    rBase = 3; // x, m, depth, r0..r9 as parameters, r10 after them
                    left = 25;
                    pcSlot = 27;
                } else {
                    pcSlot = 3; // x, m, depth, pc as parameters
                    rBase = 4;
                    left = 26;
                }
                regs = 28;
                nextSlot = 29;
            }

            int reg(int r) {
                return rBase + 2 * r;
            }

            boolean inMethod(int pc) {
                return pc >= 0 && pc < n && stamp[pc] == f.id + 1 && (whole || regionOf[pc] == region);
            }

            Label label(int pc) {
                int i = position[pc];
                Label l = labels[i];
                return l != null ? l : (labels[i] = cb.newLabel());
            }

            void emit() {
                // stamps are per function: re-mark this one's instructions (later functions overwrote them)
                for (int pc : f.pcs) {
                    stamp[pc] = f.id + 1;
                }
                if (!whole) {
                    recomputeRegions();
                }
                int[] pcs = methodPcs();
                labels = new Label[pcs.length];
                for (int i = 0; i < pcs.length; i++) {
                    position[pcs[i]] = i;
                }
                cb.aload(0).getfield(CD_EXEC, "regs", CD_LONG_ARRAY).astore(regs);
                if (whole) {
                    stackTop(cb);
                    cb.lstore(reg(10));
                    pushInt(f.entry);
                    cb.istore(pcSlot);
                } else {
                    for (int r = 0; r <= 10; r++) {
                        cb.aload(regs).loadConstant(r).laload().lstore(reg(r));
                    }
                }
                cb.aload(0).getfield(CD_EXEC, "left", CD_long).lstore(left);
                Label bodyStart = cb.newBoundLabel();
                Label bodyEnd = cb.newLabel();
                Label handler = cb.newLabel();
                if (whole) {
                    if (pcs[0] != f.entry) {
                        cb.goto_(label(f.entry));
                    }
                } else {
                    Label bad = cb.newLabel();
                    List<SwitchCase> cases = new ArrayList<>();
                    for (int e : f.regionEntries.get(region)) {
                        cases.add(SwitchCase.of(e, label(e)));
                    }
                    cb.iload(pcSlot).lookupswitch(bad, cases);
                    cb.labelBinding(bad).iload(pcSlot).invokestatic(CD_RT, "noEntry", MT_NO_ENTRY).athrow();
                }
                for (int i = 0; i < pcs.length; i++) {
                    int pc = pcs[i];
                    cb.labelBinding(label(pc));
                    instruction(pc, i + 1 < pcs.length ? pcs[i + 1] : -1);
                }
                blocks();
                cb.labelBinding(bodyEnd);
                cb.labelBinding(handler).aload(0).iload(pcSlot);
                for (int r = 0; r <= 10; r++) {
                    cb.lload(reg(r));
                }
                cb.invokestatic(CD_RT, "fault", MT_LOCATE).athrow();
                cb.exceptionCatch(bodyStart, bodyEnd, handler, CD_RUNTIME_EXCEPTION);
            }

            void recomputeRegions() {
                // regionOf is shared too: recompute this function's regions from its starts
                int k = 0;
                int[] rs = f.regionStarts;
                for (int pc : f.pcs) {
                    while (k + 1 < rs.length && rs[k + 1] <= pc) {
                        k++;
                    }
                    regionOf[pc] = k;
                }
            }

            int[] methodPcs() {
                if (whole) {
                    return f.pcs;
                }
                return Arrays.stream(f.pcs).filter(pc -> regionOf[pc] == region).toArray();
            }

            // ---- shared blocks

            Label exitBlock() {
                return exitBlock == null ? exitBlock = cb.newLabel() : exitBlock;
            }

            Label unwindBlock() {
                return unwindBlock == null ? unwindBlock = cb.newLabel() : unwindBlock;
            }

            Label propagateBlock() {
                return propagateBlock == null ? propagateBlock = cb.newLabel() : propagateBlock;
            }

            Label jumpOutBlock() {
                return jumpOutBlock == null ? jumpOutBlock = cb.newLabel() : jumpOutBlock;
            }

            void dumpRegisters() {
                for (int r = 0; r <= 10; r++) {
                    cb.aload(regs).loadConstant(r).lload(reg(r)).lastore();
                }
            }

            void storeLeft() {
                cb.aload(0).lload(left).putfield(CD_EXEC, "left", CD_long);
            }

            void blocks() {
                if (exitBlock != null) {
                    cb.labelBinding(exitBlock);
                    dumpRegisters();
                    storeLeft();
                    if (whole) {
                        cb.lload(reg(0)).lreturn();
                    } else {
                        cb.iconst_m1().ireturn();
                    }
                }
                if (unwindBlock != null) {
                    cb.labelBinding(unwindBlock);
                    dumpRegisters();
                    cb.aload(0).iconst_1().putfield(CD_EXEC, "unwind", ConstantDescs.CD_boolean);
                    if (whole) {
                        cb.lload(reg(0)).lreturn();
                    } else {
                        cb.iconst_m1().ireturn();
                    }
                }
                if (propagateBlock != null) {
                    // a callee ended the execution and recorded its registers: return at once
                    cb.labelBinding(propagateBlock);
                    if (whole) {
                        cb.lload(reg(0)).lreturn();
                    } else {
                        cb.iconst_m1().ireturn();
                    }
                }
                if (jumpOutBlock != null) {
                    cb.labelBinding(jumpOutBlock);
                    dumpRegisters();
                    storeLeft();
                    cb.iload(nextSlot).ireturn();
                }
            }

            // ---- control flow

            void setPc(int pc) {
                pushInt(pc);
                cb.istore(pcSlot);
            }

            void fail(String factory) {
                cb.invokestatic(CD_RT, factory, MT_FAULT0).athrow();
            }

            /** Continues at {@code to}: a branch inside the method, a hand-over to another region, or a fault. */
            void goTo(int to) {
                if (to >= n) {
                    setPc(n - 1);
                    fail("fellOff");
                } else if (inMethod(to)) {
                    cb.goto_(label(to));
                } else {
                    pushInt(to);
                    cb.istore(nextSlot).goto_(jumpOutBlock());
                }
            }

            /** Falls through to {@code to} unless it is the instruction emitted next. */
            void flow(int to, int emittedNext) {
                if (to != emittedNext || !inMethod(to)) {
                    goTo(to);
                }
            }

            /** {@code if (--left < 0) fault} for a taken backward jump. */
            void countBackwardJump(int pc) {
                Label ok = cb.newLabel();
                cb.lload(left).lconst_1().lsub().dup2().lstore(left).lconst_0().lcmp().ifge(ok);
                setPc(pc);
                fail("exhausted");
                cb.labelBinding(ok);
            }

            /** {@code if (--left < 0) fault} for a call; the pc is already set. */
            void countCall() {
                Label ok = cb.newLabel();
                cb.lload(left).lconst_1().lsub().dup2().lstore(left).lconst_0().lcmp().ifge(ok);
                fail("exhausted");
                cb.labelBinding(ok);
            }

            void pushLong(long v) {
                Generator.this.pushLong(cb, v);
            }

            void pushInt(int v) {
                Generator.this.pushInt(cb, v);
            }

            void zeroExtend() {
                cb.i2l();
                pushLong(JitRuntime.MASK32);
                cb.land();
            }

            // ---- instructions

            void instruction(int pc, int emittedNext) {
                long s = slots[pc];
                int op = opcode(s), d = dst(s), sr = src(s), off = off(s), imm = imm(s);
                boolean x = (op & 0x08) != 0;
                switch (op) {
                    // ALU64
                    case 0x07, 0x0f -> alu64(d, sr, imm, x, Opcode.LADD);
                    case 0x17, 0x1f -> alu64(d, sr, imm, x, Opcode.LSUB);
                    case 0x27, 0x2f -> alu64(d, sr, imm, x, Opcode.LMUL);
                    case 0x47, 0x4f -> alu64(d, sr, imm, x, Opcode.LOR);
                    case 0x57, 0x5f -> alu64(d, sr, imm, x, Opcode.LAND);
                    case 0xa7, 0xaf -> alu64(d, sr, imm, x, Opcode.LXOR);
                    case 0x67, 0x6f -> shift64(d, sr, imm, x, Opcode.LSHL);
                    case 0x77, 0x7f -> shift64(d, sr, imm, x, Opcode.LUSHR);
                    case 0xc7, 0xcf -> shift64(d, sr, imm, x, Opcode.LSHR);
                    case 0x87 -> cb.lload(reg(d)).lneg().lstore(reg(d));
                    case 0x37, 0x3f -> divide64(d, sr, imm, x, off != 0, false);
                    case 0x97, 0x9f -> divide64(d, sr, imm, x, off != 0, true);
                    case 0xb7 -> {
                        pushLong(imm);
                        cb.lstore(reg(d));
                    }
                    case 0xbf -> {
                        cb.lload(reg(sr));
                        switch (off) {
                            case 8 -> cb.l2i().i2b().i2l();
                            case 16 -> cb.l2i().i2s().i2l();
                            case 32 -> cb.l2i().i2l();
                            default -> {}
                        }
                        cb.lstore(reg(d));
                    }
                    case 0xd7, 0xdc -> swap(d, imm);
                    // ALU32
                    case 0x04, 0x0c -> alu32(d, sr, imm, x, Opcode.IADD);
                    case 0x14, 0x1c -> alu32(d, sr, imm, x, Opcode.ISUB);
                    case 0x24, 0x2c -> alu32(d, sr, imm, x, Opcode.IMUL);
                    case 0x44, 0x4c -> alu32(d, sr, imm, x, Opcode.IOR);
                    case 0x54, 0x5c -> alu32(d, sr, imm, x, Opcode.IAND);
                    case 0xa4, 0xac -> alu32(d, sr, imm, x, Opcode.IXOR);
                    case 0x64, 0x6c -> alu32(d, sr, imm, x, Opcode.ISHL);
                    case 0x74, 0x7c -> alu32(d, sr, imm, x, Opcode.IUSHR);
                    case 0xc4, 0xcc -> alu32(d, sr, imm, x, Opcode.ISHR);
                    case 0x84 -> {
                        cb.lload(reg(d)).l2i().ineg();
                        zeroExtend();
                        cb.lstore(reg(d));
                    }
                    case 0x34, 0x3c -> divide32(d, sr, imm, x, off != 0, false);
                    case 0x94, 0x9c -> divide32(d, sr, imm, x, off != 0, true);
                    case 0xb4 -> {
                        pushLong(imm & JitRuntime.MASK32);
                        cb.lstore(reg(d));
                    }
                    case 0xbc -> {
                        cb.lload(reg(sr));
                        switch (off) {
                            case 8 -> {
                                cb.l2i().i2b();
                                zeroExtend();
                            }
                            case 16 -> {
                                cb.l2i().i2s();
                                zeroExtend();
                            }
                            default -> {
                                pushLong(JitRuntime.MASK32);
                                cb.land();
                            }
                        }
                        cb.lstore(reg(d));
                    }
                    case 0xd4 -> {
                        if (imm == 16 || imm == 32) {
                            cb.lload(reg(d));
                            pushLong(imm == 16 ? 0xffffL : JitRuntime.MASK32);
                            cb.land().lstore(reg(d));
                        }
                    }
                    // loads and stores
                    case 0x61 -> load(pc, d, sr, off, "load32", 0);
                    case 0x69 -> load(pc, d, sr, off, "load16", 0);
                    case 0x71 -> load(pc, d, sr, off, "load8", 0);
                    case 0x79 -> load(pc, d, sr, off, "load64", 0);
                    case 0x81 -> load(pc, d, sr, off, "load32", 32);
                    case 0x89 -> load(pc, d, sr, off, "load16", 16);
                    case 0x91 -> load(pc, d, sr, off, "load8", 8);
                    case 0x62 -> store(pc, d, off, "store32", -1, imm);
                    case 0x6a -> store(pc, d, off, "store16", -1, imm);
                    case 0x72 -> store(pc, d, off, "store8", -1, imm);
                    case 0x7a -> store(pc, d, off, "store64", -1, imm);
                    case 0x63 -> store(pc, d, off, "store32", sr, 0);
                    case 0x6b -> store(pc, d, off, "store16", sr, 0);
                    case 0x73 -> store(pc, d, off, "store8", sr, 0);
                    case 0x7b -> store(pc, d, off, "store64", sr, 0);
                    case 0xc3 -> atomic(pc, 4, d, sr, off, imm);
                    case 0xdb -> atomic(pc, 8, d, sr, off, imm);
                    case 0x18 -> {
                        pushLong((imm & JitRuntime.MASK32) | (slots[pc + 1] & 0xffff_ffff_0000_0000L));
                        cb.lstore(reg(d));
                    }
                    case 0x20 -> legacy(pc, -1, imm, 4);
                    case 0x28 -> legacy(pc, -1, imm, 2);
                    case 0x30 -> legacy(pc, -1, imm, 1);
                    case 0x40 -> legacy(pc, sr, imm, 4);
                    case 0x48 -> legacy(pc, sr, imm, 2);
                    case 0x50 -> legacy(pc, sr, imm, 1);
                    // control
                    case 0x05, 0x06 -> {
                        int rel = op == 0x05 ? off : imm;
                        if (rel < 0) {
                            countBackwardJump(pc);
                        }
                        flow(pc + 1 + rel, emittedNext);
                        return;
                    }
                    case 0x85 -> {
                        if (sr == 0) {
                            callHelper(pc, imm);
                        } else {
                            callLocal(pc, pc + 1 + imm);
                        }
                    }
                    case 0x8d -> callx(pc, d);
                    case 0x95 -> {
                        cb.goto_(exitBlock());
                        return;
                    }
                    default -> {
                        if (isConditionalJump(op)) {
                            branch(pc, op, d, sr, off, imm);
                        } else {
                            setPc(pc);
                            cb.loadConstant(op).invokestatic(CD_RT, "invalidOpcode", MT_INVALID).athrow();
                            return;
                        }
                    }
                }
                flow(next(slots, pc), emittedNext);
            }

            void alu64(int d, int sr, int imm, boolean x, Opcode op) {
                cb.lload(reg(d));
                if (x) {
                    cb.lload(reg(sr));
                } else {
                    pushLong(imm);
                }
                cb.with(java.lang.classfile.instruction.OperatorInstruction.of(op));
                cb.lstore(reg(d));
            }

            void shift64(int d, int sr, int imm, boolean x, Opcode op) {
                cb.lload(reg(d));
                if (x) {
                    cb.lload(reg(sr)).l2i();
                } else {
                    pushInt(imm);
                }
                cb.with(java.lang.classfile.instruction.OperatorInstruction.of(op));
                cb.lstore(reg(d));
            }

            void alu32(int d, int sr, int imm, boolean x, Opcode op) {
                cb.lload(reg(d)).l2i();
                if (x) {
                    cb.lload(reg(sr)).l2i();
                } else {
                    pushInt(imm);
                }
                cb.with(java.lang.classfile.instruction.OperatorInstruction.of(op));
                zeroExtend();
                cb.lstore(reg(d));
            }

            void divide64(int d, int sr, int imm, boolean x, boolean signed, boolean mod) {
                if (x) {
                    cb.lload(reg(d)).lload(reg(sr));
                    cb.invokestatic(CD_RT, (signed ? "s" : "u") + (mod ? "mod64" : "div64"), MT_LL_L);
                } else if (imm == 0) {
                    if (!mod) {
                        cb.lconst_0(); // division by zero gives 0; modulo by zero leaves the dividend
                    } else {
                        return;
                    }
                } else {
                    cb.lload(reg(d));
                    pushLong(imm);
                    if (signed) {
                        if (mod) {
                            cb.lrem();
                        } else {
                            cb.ldiv();
                        }
                    } else {
                        cb.invokestatic(CD_LONG_BOX, mod ? "remainderUnsigned" : "divideUnsigned", MT_LL_L);
                    }
                }
                cb.lstore(reg(d));
            }

            void divide32(int d, int sr, int imm, boolean x, boolean signed, boolean mod) {
                cb.lload(reg(d)).l2i();
                if (x) {
                    cb.lload(reg(sr)).l2i();
                } else {
                    pushInt(imm);
                }
                cb.invokestatic(CD_RT, (signed ? "s" : "u") + (mod ? "mod32" : "div32"), MT_II_L);
                cb.lstore(reg(d));
            }

            void swap(int d, int width) {
                cb.lload(reg(d));
                switch (width) {
                    case 16 -> {
                        cb.l2i().i2s().invokestatic(CD_SHORT_BOX, "reverseBytes", MethodTypeDesc.of(CD_short, CD_short))
                                .i2l();
                        pushLong(0xffffL);
                        cb.land();
                    }
                    case 32 -> {
                        cb.l2i().invokestatic(CD_INT_BOX, "reverseBytes", MethodTypeDesc.of(CD_int, CD_int));
                        zeroExtend();
                    }
                    default -> cb.invokestatic(CD_LONG_BOX, "reverseBytes", MethodTypeDesc.of(CD_long, CD_long));
                }
                cb.lstore(reg(d));
            }

            void address(int base, int off) {
                cb.lload(reg(base));
                if (off != 0) {
                    pushLong(off);
                    cb.ladd();
                }
            }

            void load(int pc, int d, int sr, int off, String method, int signExtendFrom) {
                setPc(pc);
                cb.aload(1);
                address(sr, off);
                cb.invokevirtual(CD_MEMORY, method, MT_LOAD);
                switch (signExtendFrom) {
                    case 8 -> cb.l2i().i2b().i2l();
                    case 16 -> cb.l2i().i2s().i2l();
                    case 32 -> cb.l2i().i2l();
                    default -> {}
                }
                cb.lstore(reg(d));
            }

            void store(int pc, int d, int off, String method, int sr, int imm) {
                setPc(pc);
                cb.aload(1);
                address(d, off);
                if (sr >= 0) {
                    cb.lload(reg(sr));
                } else {
                    pushLong(imm);
                }
                cb.invokevirtual(CD_MEMORY, method, MT_STORE);
            }

            void atomic(int pc, int size, int d, int sr, int off, int op) {
                setPc(pc);
                cb.aload(1);
                address(d, off);
                cb.loadConstant(size);
                switch (op) {
                    case 0x00, 0x40, 0x50, 0xa0 -> {
                        cb.loadConstant(op);
                        value(sr, size);
                        cb.invokevirtual(CD_MEMORY, "atomic", MT_ATOMIC).pop2();
                    }
                    case 0x01, 0x41, 0x51, 0xa1, 0xe1 -> {
                        cb.loadConstant(op & ~1);
                        value(sr, size);
                        cb.invokevirtual(CD_MEMORY, "atomic", MT_ATOMIC).lstore(reg(sr));
                    }
                    default -> {
                        value(0, size);
                        value(sr, size);
                        cb.invokevirtual(CD_MEMORY, "compareAndExchange", MT_CMPXCHG).lstore(reg(0));
                    }
                }
            }

            void value(int r, int size) {
                cb.lload(reg(r));
                if (size == 4) {
                    pushLong(JitRuntime.MASK32);
                    cb.land();
                }
            }

            void legacy(int pc, int sr, int imm, int size) {
                setPc(pc);
                cb.aload(1);
                if (sr < 0) {
                    pushLong(imm);
                } else {
                    cb.lload(reg(sr)).l2i().i2l();
                    pushLong(imm);
                    cb.ladd();
                }
                cb.loadConstant(size).invokestatic(CD_RT, "legacy", MT_LEGACY);
                Label ok = cb.newLabel();
                cb.dup2().lstore(reg(0)).lconst_0().lcmp().ifge(ok);
                // out of bounds: the program ends with r0 = 0
                cb.lconst_0().lstore(reg(0)).goto_(unwindBlock());
                cb.labelBinding(ok);
            }

            void branch(int pc, int op, int d, int sr, int off, int imm) {
                int target = pc + 1 + off;
                boolean backward = off < 0;
                if (!backward && inMethod(target)) {
                    condition(op, d, sr, imm, false, label(target));
                } else {
                    Label notTaken = cb.newLabel();
                    condition(op, d, sr, imm, true, notTaken);
                    if (backward) {
                        countBackwardJump(pc);
                    }
                    goTo(target);
                    cb.labelBinding(notTaken);
                }
            }

            /** Branches to {@code to} when the jump's condition holds (or, negated, when it does not). */
            void condition(int op, int d, int sr, int imm, boolean negate, Label to) {
                boolean x = (op & 0x08) != 0;
                boolean wide = (op & 0x07) == 0x05;
                int code = op >>> 4;
                // relation: 0 eq, 1 ne, 2 gt, 3 ge, 4 lt, 5 le
                int rel;
                boolean unsigned = false;
                switch (code) {
                    case 0x1 -> rel = 0;
                    case 0x5 -> rel = 1;
                    case 0x2 -> { rel = 2; unsigned = true; }
                    case 0x3 -> { rel = 3; unsigned = true; }
                    case 0xa -> { rel = 4; unsigned = true; }
                    case 0xb -> { rel = 5; unsigned = true; }
                    case 0x6 -> rel = 2;
                    case 0x7 -> rel = 3;
                    case 0xc -> rel = 4;
                    case 0xd -> rel = 5;
                    default -> rel = -1; // 0x4: jset
                }
                if (wide) {
                    cb.lload(reg(d));
                    if (unsigned) {
                        pushLong(Long.MIN_VALUE);
                        cb.lxor();
                    }
                    if (x) {
                        cb.lload(reg(sr));
                        if (unsigned) {
                            pushLong(Long.MIN_VALUE);
                            cb.lxor();
                        }
                    } else {
                        pushLong(unsigned ? (long) imm ^ Long.MIN_VALUE : imm);
                    }
                    if (rel < 0) {
                        cb.land().lconst_0();
                        rel = 1; // (a & b) != 0
                    }
                    cb.lcmp();
                    cb.branch(zeroCompare(negate ? negated(rel) : rel), to);
                } else {
                    cb.lload(reg(d)).l2i();
                    if (unsigned) {
                        cb.loadConstant(Integer.MIN_VALUE).ixor();
                    }
                    if (x) {
                        cb.lload(reg(sr)).l2i();
                        if (unsigned) {
                            cb.loadConstant(Integer.MIN_VALUE).ixor();
                        }
                    } else {
                        pushInt(unsigned ? imm ^ Integer.MIN_VALUE : imm);
                    }
                    if (rel < 0) {
                        cb.iand();
                        cb.branch(negate ? Opcode.IFEQ : Opcode.IFNE, to);
                    } else {
                        cb.branch(intCompare(negate ? negated(rel) : rel), to);
                    }
                }
            }

            static int negated(int rel) {
                return switch (rel) {
                    case 0 -> 1;
                    case 1 -> 0;
                    case 2 -> 5;
                    case 3 -> 4;
                    case 4 -> 3;
                    default -> 2;
                };
            }

            static Opcode zeroCompare(int rel) {
                return switch (rel) {
                    case 0 -> Opcode.IFEQ;
                    case 1 -> Opcode.IFNE;
                    case 2 -> Opcode.IFGT;
                    case 3 -> Opcode.IFGE;
                    case 4 -> Opcode.IFLT;
                    default -> Opcode.IFLE;
                };
            }

            static Opcode intCompare(int rel) {
                return switch (rel) {
                    case 0 -> Opcode.IF_ICMPEQ;
                    case 1 -> Opcode.IF_ICMPNE;
                    case 2 -> Opcode.IF_ICMPGT;
                    case 3 -> Opcode.IF_ICMPGE;
                    case 4 -> Opcode.IF_ICMPLT;
                    default -> Opcode.IF_ICMPLE;
                };
            }

            // ---- calls

            /** What a helper may hand to a callback: the caller's r0 and r6 to r9 (r1 to r5 are arguments). */
            void saveForCallback() {
                for (int r : new int[] {0, 6, 7, 8, 9}) {
                    cb.aload(regs).loadConstant(r).lload(reg(r)).lastore();
                }
            }

            /** After a helper: r0 is its result; a requested exit ends the program with the exit value. */
            void checkExit() {
                Label go = cb.newLabel();
                cb.aload(0).getfield(CD_EXEC, "exitRequested", ConstantDescs.CD_boolean).ifeq(go);
                cb.aload(0).getfield(CD_EXEC, "exitValue", CD_long).lstore(reg(0)).goto_(unwindBlock());
                cb.labelBinding(go);
            }

            void callHelper(int pc, int id) {
                setPc(pc);
                countCall();
                cb.aload(0).iload(2).putfield(CD_EXEC, "depthAtCall", CD_int);
                saveForCallback();
                if (helperIndex[id] < 0) {
                    helperIndex[id] = constant(helpers[id]);
                }
                cb.ldc(classDataAt(helperIndex[id], CD_HELPER)).aload(0).loadConstant(id);
                for (int r = 1; r <= 5; r++) {
                    cb.lload(reg(r));
                }
                cb.invokestatic(CD_RT, "callHelper", MT_HELPER).lstore(reg(0));
                checkExit();
            }

            /** The depth check and the budget sync before a local call. */
            void enterCall() {
                Label ok = cb.newLabel();
                cb.iload(2).iconst_1().iadd().loadConstant(Memory.MAX_FRAMES).if_icmplt(ok);
                fail("tooDeep");
                cb.labelBinding(ok);
                storeLeft();
            }

            /** r0 from the callee, r1 to r5 as it left them; r6 to r10 are this frame's locals, untouched. */
            void afterCall() {
                cb.lstore(reg(0));
                cb.aload(0).getfield(CD_EXEC, "unwind", ConstantDescs.CD_boolean).ifne(propagateBlock());
                cb.aload(0).getfield(CD_EXEC, "left", CD_long).lstore(left);
                for (int r = 1; r <= 5; r++) {
                    cb.aload(regs).loadConstant(r).laload().lstore(reg(r));
                }
            }

            void pushCallArguments() {
                for (int r = 0; r < 10; r++) {
                    cb.lload(reg(r));
                }
            }

            void callLocal(int pc, int target) {
                setPc(pc);
                countCall();
                enterCall();
                cb.aload(0).aload(1).iload(2).iconst_1().iadd();
                pushCallArguments();
                cb.invokestatic(THIS, functionAt[target].name(), MT_FUNCTION);
                afterCall();
            }

            void callx(int pc, int d) {
                setPc(pc);
                countCall();
                Label helper = cb.newLabel();
                Label done = cb.newLabel();
                cb.lload(reg(d)).bipush(32).lushr();
                pushLong(Memory.CODE_REGION);
                cb.lcmp().ifne(helper);
                storeLeft();
                cb.aload(0).lload(reg(d)).iload(2);
                pushCallArguments();
                cb.invokevirtual(CD_EXEC, "callAddress", MT_CALL_ADDRESS);
                afterCall();
                cb.goto_(done);
                cb.labelBinding(helper);
                cb.aload(0).iload(2).putfield(CD_EXEC, "depthAtCall", CD_int);
                saveForCallback();
                cb.aload(0).lload(reg(d));
                for (int r = 1; r <= 5; r++) {
                    cb.lload(reg(r));
                }
                cb.invokevirtual(CD_EXEC, "callHelper", MT_CALL_HELPER).lstore(reg(0));
                checkExit();
                cb.labelBinding(done);
            }
        }
    }
}
