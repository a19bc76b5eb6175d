package org.bpf4j.cli.kernel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bpf4j.core.api.Json;
import org.bpf4j.kernel.KernelMap;
import org.bpf4j.kernel.sys.Bpf;
import org.bpf4j.kernel.sys.BpfSyscallException;
import org.bpf4j.core.api.Errno;
import org.bpf4j.kernel.sys.Fd;
import org.bpf4j.kernel.sys.FdInfo;
import org.bpf4j.kernel.sys.MapInfo;
import org.bpf4j.kernel.sys.Native;
import org.bpf4j.kernel.sys.ProgInfo;
import picocli.CommandLine;

/** What the {@code bpf4j kernel} commands share: error lines, object references, byte parsing, bpftool's formats. */
final class KernelCli {
    private KernelCli() {}

    /** A usage or lookup problem the user can fix: printed as one line, exit status 1. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }

    /**
     * Runs a command's body; any failure becomes one line on stderr ({@code bpf4j kernel map dump: ...}) and
     * exit status 1 ({@code BPF4J_DEBUG} adds the stack trace).
     */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        try {
            return body.call();
        } catch (Exception e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + describe(e));
            if (System.getenv("BPF4J_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        }
    }

    static String describe(Throwable e) {
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            e = u.getCause();
        }
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file: " + n.getFile();
            case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
            case BpfSyscallException b when b.errno() == Errno.EPERM -> b.getMessage()
                    + " (the kernel backend needs root, or CAP_BPF with CAP_NET_ADMIN)";
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }

    // ---- references: "id 12", "12", "pinned /sys/fs/bpf/x", "/sys/fs/bpf/x"

    /** A program or map named by id or pinned path; {@code used} is how many arguments it took. */
    record Ref(int id, Path pinned, int used) {
        String describe() {
            return pinned != null ? "pinned " + pinned : "id " + id;
        }
    }

    static Ref ref(List<String> args, int at, String what) {
        if (args.size() <= at) {
            throw new UserError("which " + what + "? Give an id (12, or id 12) or a pinned path (pinned /sys/fs/bpf/x)");
        }
        String a = args.get(at);
        if ((a.equals("id") || a.equals("pinned")) && args.size() <= at + 1) {
            throw new UserError("'" + a + "' needs a value");
        }
        if (a.equals("id")) {
            return new Ref(parseId(args.get(at + 1), what), null, 2);
        }
        if (a.equals("pinned")) {
            return new Ref(0, Path.of(args.get(at + 1)), 2);
        }
        if (a.equals("name")) {
            throw new UserError("select a " + what + " by id or pinned path (names are not unique)");
        }
        if (a.chars().allMatch(Character::isDigit)) {
            return new Ref(parseId(a, what), null, 1);
        }
        return new Ref(0, Path.of(a), 1);
    }

    private static int parseId(String s, String what) {
        try {
            int id = Integer.parseInt(s);
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new UserError("'" + s + "' is not a " + what + " id");
        }
    }

    static KernelMap openMap(Ref r) {
        return r.pinned() != null ? KernelMap.openPinned(r.pinned()) : KernelMap.open(r.id());
    }

    static Fd openProgram(Ref r) {
        return r.pinned() != null ? Bpf.objGet(r.pinned().toString(), 0) : Bpf.progFdById(r.id());
    }

    // ---- bytes as bpftool reads them: "key 0x01 0 0 0", "key hex 01 00 00 00"

    /**
     * Parses bytes the way bpftool does: each argument a number in C notation (0x1f hex, 017 octal, 23 decimal),
     * or, after a leading {@code hex}, every argument two hex digits. Stops before {@code stopWords}.
     *
     * @return the bytes and how many arguments they took
     */
    static Parsed bytes(List<String> args, int at, int expected, String what, List<String> stopWords) {
        int i = at;
        boolean hex = false;
        if (i < args.size() && args.get(i).equals("hex")) {
            hex = true;
            i++;
        }
        List<Byte> out = new ArrayList<>();
        for (; i < args.size() && !stopWords.contains(args.get(i)); i++) {
            out.add(parseByte(args.get(i), hex, what));
        }
        if (out.size() != expected) {
            throw new UserError(what + " expected " + expected + " bytes got " + out.size());
        }
        byte[] b = new byte[out.size()];
        for (int k = 0; k < b.length; k++) {
            b[k] = out.get(k);
        }
        return new Parsed(b, i - at);
    }

    record Parsed(byte[] bytes, int used) {}

    static byte parseByte(String s, boolean hex, String what) {
        long v;
        try {
            if (hex) {
                v = Long.parseLong(s, 16);
            } else if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = Long.parseLong(s.substring(1), 8);
            } else {
                v = Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            throw new UserError("can't parse " + what + " byte '" + s + "'");
        }
        if (v < 0 || v > 255) {
            throw new UserError(what + " byte '" + s + "' is not between 0 and 255");
        }
        return (byte) v;
    }

    // ---- bpftool's plain formats

    /** Bytes as bpftool prints them: {@code 01 00 00 00}, two spaces after every eighth byte. */
    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                s.append(i % 8 == 0 ? "  " : " ");
            }
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }

    /** Long byte strings on lines of 16. */
    static String hexLines(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.length; i += 16) {
            if (i > 0) {
                s.append('\n');
            }
            s.append(hex(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 16))));
        }
        return s.toString();
    }

    /** One element as {@code bpftool map dump} prints it without BTF. */
    static String plainEntry(KernelMap m, byte[] key, byte[] value) {
        StringBuilder s = new StringBuilder();
        if (m.isPerCpu()) {
            s.append("key:\n").append(hexLines(key)).append('\n');
            List<byte[]> vs = m.split(value);
            for (int c = 0; c < vs.size(); c++) {
                s.append(String.format("value (CPU %02d): ", c)).append(hex(vs.get(c))).append('\n');
            }
        } else if (m.keySize() > 16 || m.valueSize() > 16) {
            s.append("key:\n").append(hexLines(key)).append("\nvalue:\n").append(hexLines(value)).append('\n');
        } else {
            s.append("key: ").append(hex(key)).append("  value: ").append(hex(value)).append('\n');
        }
        return s.toString();
    }

    /** One element as {@code bpftool -j map lookup} prints it without BTF. */
    static void jsonEntry(Json w, KernelMap m, byte[] key, byte[] value) {
        w.beginObject().name("key").hex(key);
        if (m.isPerCpu()) {
            w.name("values").beginArray();
            List<byte[]> vs = m.split(value);
            for (int c = 0; c < vs.size(); c++) {
                w.beginObject().field("cpu", c).name("value").hex(vs.get(c)).endObject();
            }
            w.endArray();
        } else {
            w.name("value").hex(value);
        }
        w.endObject();
    }

    // ---- programs and maps as bpftool shows them

    /** Boot time on the wall clock, for {@code loaded_at}. */
    static long bootEpochNanos() {
        return Native.clockNanos(0) - Native.clockNanos(7);
    }

    static void showProgram(StringBuilder out, ProgInfo p, FdInfo fdInfo) {
        out.append(p.id()).append(": ").append(p.typeName()).append("  name ").append(p.name()).append("  tag ")
                .append(p.tag());
        if (p.gplCompatible()) {
            out.append("  gpl");
        }
        out.append('\n');
        Instant loaded = Instant.ofEpochSecond(0, bootEpochNanos() + p.loadTimeNanos());
        out.append("\tloaded_at ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT)
                .withZone(ZoneId.systemDefault()).format(loaded)).append("  uid ").append(p.createdByUid()).append('\n');
        out.append("\txlated ").append(p.xlatedSize()).append('B');
        out.append(p.jitedSize() > 0 ? "  jited " + p.jitedSize() + "B" : "  not jited");
        fdInfo.number("memlock").ifPresent(v -> out.append("  memlock ").append(v).append('B'));
        if (!p.mapIds().isEmpty()) {
            out.append("  map_ids ").append(String.join(",", p.mapIds().stream().map(String::valueOf).toList()));
        }
        out.append('\n');
        if (p.btfId() != 0) {
            out.append("\tbtf_id ").append(p.btfId()).append('\n');
        }
    }

    static void showProgramJson(Json w, ProgInfo p, FdInfo fdInfo) {
        w.beginObject().field("id", p.id()).field("type", p.typeName()).field("name", p.name()).field("tag", p.tag())
                .field("gpl_compatible", p.gplCompatible())
                .field("loaded_at", (bootEpochNanos() + p.loadTimeNanos()) / 1_000_000_000L)
                .field("uid", p.createdByUid()).field("bytes_xlated", p.xlatedSize()).field("jited", p.jitedSize() > 0);
        if (p.jitedSize() > 0) {
            w.field("bytes_jited", p.jitedSize());
        }
        fdInfo.number("memlock").ifPresent(v -> w.field("bytes_memlock", v));
        if (!p.mapIds().isEmpty()) {
            w.name("map_ids").beginArray();
            p.mapIds().forEach(id -> w.value((long) id));
            w.endArray();
        }
        if (p.btfId() != 0) {
            w.field("btf_id", p.btfId());
        }
        w.endObject();
    }

    static void showMap(StringBuilder out, MapInfo m, FdInfo fdInfo) {
        out.append(m.id()).append(": ").append(m.typeName()).append("  name ").append(m.name()).append("  flags 0x")
                .append(Integer.toHexString(m.flags())).append('\n');
        out.append("\tkey ").append(m.keySize()).append("B  value ").append(m.valueSize()).append("B  max_entries ")
                .append(m.maxEntries());
        fdInfo.number("memlock").ifPresent(v -> out.append("  memlock ").append(v).append('B'));
        if (fdInfo.number("frozen").orElse(0) != 0) {
            out.append("\n\tfrozen");
        }
        out.append('\n');
        if (m.btfId() != 0) {
            out.append("\tbtf_id ").append(m.btfId()).append('\n');
        }
    }

    static void showMapJson(Json w, MapInfo m, FdInfo fdInfo) {
        w.beginObject().field("id", m.id()).field("type", m.typeName()).field("name", m.name())
                .field("flags", m.flags()).field("bytes_key", m.keySize()).field("bytes_value", m.valueSize())
                .field("max_entries", m.maxEntries());
        fdInfo.number("memlock").ifPresent(v -> w.field("bytes_memlock", v));
        w.field("frozen", fdInfo.number("frozen").orElse(0));
        if (m.btfId() != 0) {
            w.field("btf_id", m.btfId());
        }
        w.endObject();
    }
}
