package org.bpf4j.core.asm;

import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpf4j.core.isa.AluOp;
import org.bpf4j.core.isa.AtomicOp;
import org.bpf4j.core.isa.Instruction;
import org.bpf4j.core.isa.Instruction.*;
import org.bpf4j.core.isa.JumpOp;
import org.bpf4j.core.isa.Operand;
import org.bpf4j.core.isa.Size;

/** Parses one instruction in {@link Syntax#CONFORMANCE}: a mnemonic, then comma-separated operands. */
final class ConformanceParser {
    private ConformanceParser() {}

    private static final Pattern ALU = Pattern.compile("(add|sub|mul|div|sdiv|mod|smod|or|and|lsh|rsh|arsh|xor|mov)(32|64)?");
    private static final Pattern NEG = Pattern.compile("neg(32|64)?");
    private static final Pattern MOVSX = Pattern.compile("movsx(8|16|32)(32|64)");
    private static final Pattern ENDIAN = Pattern.compile("(le|be|swap|bswap)(16|32|64)");
    private static final Pattern LDX = Pattern.compile("ldx(s?)(b|h|w|dw)");
    private static final Pattern ST = Pattern.compile("st(x?)(b|h|w|dw)");
    private static final Pattern JUMP = Pattern.compile("(jeq|jgt|jge|jlt|jle|jset|jne|jsgt|jsge|jslt|jsle)(32)?");
    private static final Pattern LEGACY = Pattern.compile("ld(abs|ind)(b|h|w)");
    private static final Pattern REGISTER = Pattern.compile("%r(\\d{1,3})");
    private static final Pattern PSEUDO = Pattern.compile("([a-z_]+)\\s*\\((.*)\\)");

    static Pending parse(String text, int line) {
        int space = indexOfWhitespace(text);
        String written = space < 0 ? text : text.substring(0, space);
        String mnemonic = written.toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).trim();
        switch (mnemonic) {
            case "lock" -> {
                return lock(rest, line);
            }
            case "call" -> {
                return call(rest, line);
            }
            default -> {}
        }
        var p = new Line(mnemonic, Operands.split(rest), line);
        Matcher m;
        if (mnemonic.equals("exit")) {
            p.count(0);
            return ready(line, new Exit());
        } else if (mnemonic.equals("ja") || mnemonic.equals("ja32")) {
            p.count(1);
            boolean wide = mnemonic.equals("ja32");
            return target(line, 1, p.op(0), wide ? 32 : 16, off -> new Goto(wide, (int) off));
        } else if (mnemonic.equals("callx")) {
            p.count(1);
            return ready(line, new CallReg(p.reg(0)));
        } else if (mnemonic.equals("lddw")) {
            p.count(2);
            return lddw(p.reg(0), p.op(1), line);
        } else if ((m = NEG.matcher(mnemonic)).matches()) {
            p.count(1);
            return ready(line, new Alu(!"32".equals(m.group(1)), AluOp.NEG, p.reg(0), Operand.imm(0)));
        } else if ((m = ALU.matcher(mnemonic)).matches()) {
            p.count(2);
            AluOp op = AluOp.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            return ready(line, new Alu(!"32".equals(m.group(2)), op, p.reg(0), p.regOrImm(1)));
        } else if ((m = MOVSX.matcher(mnemonic)).matches() && !mnemonic.equals("movsx3232")) {
            p.count(2);
            AluOp op = AluOp.valueOf("MOVSX" + m.group(1));
            return ready(line, new Alu(m.group(2).equals("64"), op, p.reg(0), Operand.reg(p.reg(1))));
        } else if ((m = ENDIAN.matcher(mnemonic)).matches()) {
            p.count(1);
            var kind = switch (m.group(1)) {
                case "le" -> Endian.Kind.TO_LE;
                case "be" -> Endian.Kind.TO_BE;
                default -> Endian.Kind.BSWAP;
            };
            return ready(line, new Endian(kind, Integer.parseInt(m.group(2)), p.reg(0)));
        } else if ((m = LDX.matcher(mnemonic)).matches() && !mnemonic.equals("ldxsdw")) {
            p.count(2);
            Mem mem = p.mem(1);
            return ready(line, new Load(size(m.group(2)), !m.group(1).isEmpty(), p.reg(0), mem.reg(), mem.offset()));
        } else if ((m = ST.matcher(mnemonic)).matches()) {
            p.count(2);
            Mem mem = p.mem(0);
            Operand value = m.group(1).isEmpty() ? Operand.imm(p.imm(1)) : Operand.reg(p.reg(1));
            return ready(line, new Store(size(m.group(2)), mem.reg(), mem.offset(), value));
        } else if ((m = JUMP.matcher(mnemonic)).matches()) {
            p.count(3);
            boolean jmp32 = m.group(2) != null;
            JumpOp op = JumpOp.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            int dst = p.reg(0);
            Operand src = p.regOrImm(1);
            return target(line, 1, p.op(2), 16, off -> new Branch(jmp32, op, dst, src, (short) off));
        } else if ((m = LEGACY.matcher(mnemonic)).matches()) {
            boolean indirect = m.group(1).equals("ind");
            p.count(indirect ? 2 : 1);
            int src = indirect ? p.reg(0) : 0;
            return ready(line, new LegacyLoad(size(m.group(2)), indirect, src, p.imm(indirect ? 1 : 0)));
        }
        throw new AssemblyException(line, "invalid mnemonic " + written);
    }

    /** {@code lock [fetch] op[32] [%rD+off], %rS}; xchg and cmpxchg always fetch. */
    private static Pending lock(String rest, int line) {
        int bracket = rest.indexOf('[');
        String[] words = (bracket < 0 ? rest : rest.substring(0, bracket)).trim().split("\\s+");
        List<String> ops = bracket < 0 ? List.of() : Operands.split(rest.substring(bracket));
        if (words[0].isEmpty() || ops.size() != 2 || words.length > 2) {
            throw new AssemblyException(line, "invalid number of operands for lock");
        }
        boolean fetch = words.length == 2;
        if (fetch && !words[0].equals("fetch")) {
            throw new AssemblyException(line, "invalid lock modifier " + words[0] + " (only fetch)");
        }
        String name = words[words.length - 1].toLowerCase(Locale.ROOT);
        boolean w32 = name.endsWith("32");
        String base = w32 ? name.substring(0, name.length() - 2) : name.endsWith("64") ? name.substring(0, name.length() - 2) : name;
        AtomicOp op = switch (base) {
            case "add" -> AtomicOp.ADD;
            case "or" -> AtomicOp.OR;
            case "and" -> AtomicOp.AND;
            case "xor" -> AtomicOp.XOR;
            case "xchg" -> AtomicOp.XCHG;
            case "cmpxchg" -> AtomicOp.CMPXCHG;
            default -> throw new AssemblyException(line, "invalid atomic operation " + words[words.length - 1]);
        };
        var p = new Line("lock", ops, line);
        Mem mem = p.mem(0);
        return ready(line, new Atomic(w32 ? Size.W : Size.DW, op, fetch || op.alwaysFetches(), mem.reg(), p.reg(1),
                mem.offset()));
    }

    /** {@code call N} (helper), {@code call local TARGET}, {@code call kfunc N[, OFF]}, {@code call %rN}. */
    private static Pending call(String rest, int line) {
        if (rest.isEmpty()) {
            throw new AssemblyException(line, "invalid number of operands for call");
        }
        if (rest.startsWith("%")) {
            var p = new Line("call", Operands.split(rest), line);
            p.count(1);
            return ready(line, new CallReg(p.reg(0)));
        }
        int space = indexOfWhitespace(rest);
        String word = space < 0 ? rest : rest.substring(0, space);
        String after = space < 0 ? "" : rest.substring(space).trim();
        if (word.equals("local")) {
            var p = new Line("call local", Operands.split(after), line);
            p.count(1);
            return target(line, 1, p.op(0), 32, off -> Call.local((int) off));
        }
        if (word.equals("kfunc")) {
            var p = new Line("call kfunc", Operands.split(after), line);
            if (p.ops.size() != 1) {
                p.count(2);
            }
            short btf = p.ops.size() == 2 ? p.offset16(p.op(1)) : 0;
            return ready(line, new Call(Call.Kind.KFUNC, p.imm(0), btf));
        }
        var p = new Line("call", Operands.split(rest), line);
        p.count(1);
        if (!Numbers.isNumber(p.op(0))) {
            throw new AssemblyException(line, "call expects a helper number, local LABEL, kfunc N or a register, not "
                    + p.op(0));
        }
        return ready(line, Call.helper(p.imm(0)));
    }

    private static Pending lddw(int dst, String value, int line) {
        if (Numbers.isNumber(value)) {
            return ready(line, new LoadImm64(dst, LoadImm64.Pseudo.NONE, Numbers.imm64(value, line)));
        }
        Matcher m = PSEUDO.matcher(value);
        if (!m.matches()) {
            throw new AssemblyException(line, "immediate expected for lddw, not " + value);
        }
        var pseudo = PseudoForms.of(m.group(1));
        if (pseudo == null) {
            throw new AssemblyException(line, "unknown lddw source " + m.group(1)
                    + " (map_fd, map_value, btf_id, func, map_idx, map_idx_value)");
        }
        var p = new Line(m.group(1), Operands.split(m.group(2)), line);
        if (p.ops.size() != 1) {
            p.count(2);
        }
        int high = p.ops.size() == 2 ? p.imm(1) : 0;
        if (pseudo == LoadImm64.Pseudo.FUNC) {
            return target(line, 2, p.op(0), 32,
                    off -> new LoadImm64(dst, pseudo, PseudoForms.combine((int) off, high)));
        }
        return ready(line, new LoadImm64(dst, pseudo, PseudoForms.combine(p.imm(0), high)));
    }

    private static Pending ready(int line, Instruction insn) {
        return new Pending.Ready(line, insn);
    }

    /** A jump target: a label, or a slot offset relative to the next instruction ({@code +3}, {@code -2}). */
    static Pending target(int line, int slots, String op, int bits, LongFunction<Instruction> build) {
        if (Numbers.isNumber(op)) {
            long off = Numbers.signed(op, bits, "jump offset", line);
            return new Pending.Targeted(line, slots, null, off, bits, "jump offset", build);
        }
        if (!Operands.isIdentifier(op)) {
            throw new AssemblyException(line, "invalid jump target " + (op.isEmpty() ? "(none)" : op));
        }
        return new Pending.Targeted(line, slots, op, 0, bits, "jump", build);
    }

    private static Size size(String suffix) {
        return switch (suffix) {
            case "b" -> Size.B;
            case "h" -> Size.H;
            case "w" -> Size.W;
            default -> Size.DW;
        };
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A memory operand {@code [%rN+off]}. */
    private record Mem(int reg, short offset) {}

    /** The operands of one line, with the accessors that check them. */
    private record Line(String mnemonic, List<String> ops, int line) {
        void count(int n) {
            if (ops.size() != n || ops.stream().anyMatch(String::isEmpty)) {
                throw new AssemblyException(line, "invalid number of operands for " + mnemonic);
            }
        }

        String op(int i) {
            return ops.get(i);
        }

        int reg(int i) {
            return register(op(i), line);
        }

        int imm(int i) {
            String s = op(i);
            if (!Numbers.isNumber(s)) {
                throw new AssemblyException(line, "immediate expected, not " + s);
            }
            return Numbers.imm32(s, line);
        }

        Operand regOrImm(int i) {
            String s = op(i);
            if (s.startsWith("%")) {
                return Operand.reg(reg(i));
            }
            if (!Numbers.isNumber(s)) {
                throw new AssemblyException(line, "register or immediate expected, not " + s);
            }
            return Operand.imm(imm(i));
        }

        short offset16(String s) {
            return (short) Numbers.signed(s, 16, "offset", line);
        }

        Mem mem(int i) {
            String s = op(i);
            if (!s.startsWith("[") || !s.endsWith("]")) {
                throw new AssemblyException(line, "memory operand expected, e.g. [%r1+8], not " + s);
            }
            String inner = s.substring(1, s.length() - 1).trim();
            int sign = -1;
            for (int k = 1; k < inner.length() && sign < 0; k++) {
                if (inner.charAt(k) == '+' || inner.charAt(k) == '-') {
                    sign = k;
                }
            }
            if (sign < 0) {
                return new Mem(register(inner, line), (short) 0);
            }
            int reg = register(inner.substring(0, sign).trim(), line);
            String number = inner.substring(sign + 1).trim();
            if (!Numbers.isNumber(number) || number.startsWith("-") || number.startsWith("+")) {
                throw new AssemblyException(line, "invalid offset in " + s);
            }
            return new Mem(reg, offset16(inner.charAt(sign) == '-' ? "-" + number : number));
        }
    }

    static int register(String s, int line) {
        if (!s.startsWith("%")) {
            throw new AssemblyException(line, "register expected, e.g. %r1, not " + (s.isEmpty() ? "nothing" : s));
        }
        Matcher m = REGISTER.matcher(s);
        if (!m.matches() || Integer.parseInt(m.group(1)) > 10) {
            throw new AssemblyException(line, "invalid register " + s);
        }
        return Integer.parseInt(m.group(1));
    }
}
