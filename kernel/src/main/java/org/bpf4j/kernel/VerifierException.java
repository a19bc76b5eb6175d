package org.bpf4j.kernel;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bpf4j.core.object.ProgramSpec;
import org.bpf4j.core.object.SourceLine;
import org.bpf4j.kernel.sys.BpfSyscallException;

/**
 * The kernel refused to load a program. Carries the verifier's {@link #log()}, the instruction the verifier
 * stopped at (the last instruction it printed) and that instruction's C source line from the object's line info.
 * The message is one line: the command, the errno, the program, the verifier's last words and the source line.
 */
public final class VerifierException extends BpfSyscallException {
    private static final long serialVersionUID = 1L;
    private static final Pattern INSN = Pattern.compile("(?m)^(\\d+): \\([0-9a-f]{2}\\)");

    private final String program;
    private final int instruction;
    private final transient SourceLine sourceLine;

    VerifierException(ProgramSpec spec, String typeName, BpfSyscallException cause) {
        this(spec, typeName, cause, failedInstruction(cause.log()));
    }

    private VerifierException(ProgramSpec spec, String typeName, BpfSyscallException cause, int insn) {
        super(cause.command(), cause.errno(), "program '" + spec.name() + "' in section " + spec.section() + ", "
                + typeName, cause.log(), detail(cause.log(), insn, insn >= 0 ? spec.lineOf(insn) : null));
        this.program = spec.name();
        this.instruction = insn;
        this.sourceLine = insn >= 0 ? spec.lineOf(insn) : null;
        initCause(cause);
    }

    private static String detail(String log, int insn, SourceLine line) {
        StringBuilder b = new StringBuilder();
        String why = reason(log);
        b.append(why.isEmpty() ? "the verifier wrote no log" : "verifier: " + why);
        if (insn >= 0) {
            b.append(" (at instruction ").append(insn);
            if (line != null && line.line() > 0) {
                b.append(", ").append(describe(line));
            }
            b.append(')');
        }
        return b.toString();
    }

    /**
     * What the verifier said after the last instruction it printed, without its statistics: e.g.
     * {@code invalid access to packet, off=12 size=1, R1(id=0,off=12,r=0); R1 offset is outside of the packet}.
     */
    static String reason(String log) {
        if (log == null || log.isBlank()) {
            return "";
        }
        String[] lines = log.strip().split("\n");
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            if (INSN.matcher(lines[i]).find()) {
                start = i + 1;
            }
        }
        java.util.List<String> said = new java.util.ArrayList<>();
        for (int i = start; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !statistics(l) && !l.startsWith(";")) {
                said.add(l);
            }
        }
        if (said.isEmpty()) {
            for (int i = lines.length - 1; i >= 0; i--) {
                String l = lines[i].strip();
                if (!l.isEmpty() && !statistics(l)) {
                    return l;
                }
            }
            return "";
        }
        return String.join("; ", said);
    }

    private static boolean statistics(String line) {
        return line.startsWith("processed ") || line.startsWith("verification time") || line.startsWith("stack depth")
                || line.startsWith("mark_read") || line.startsWith("insn ") && line.contains("processed");
    }

    /** {@code file:line: text} for a source line. */
    static String describe(SourceLine line) {
        String file = line.file();
        int slash = file.lastIndexOf('/');
        String text = line.text() == null ? "" : line.text().strip();
        return (slash >= 0 ? file.substring(slash + 1) : file) + ":" + line.line() + (text.isEmpty() ? "" : ": " + text);
    }

    /** The last instruction index the verifier printed ({@code N: (op) ...}), or -1. */
    static int failedInstruction(String log) {
        Matcher m = INSN.matcher(log == null ? "" : log);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    /** The program's name. */
    public String program() {
        return program;
    }

    /** The instruction the verifier stopped at, or -1 when its log names none. */
    public int instruction() {
        return instruction;
    }

    /** The C source line of {@link #instruction()}, when the object has line info. */
    public Optional<SourceLine> sourceLine() {
        return Optional.ofNullable(sourceLine);
    }
}
