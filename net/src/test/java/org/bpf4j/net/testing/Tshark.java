package org.bpf4j.net.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Wireshark command-line tools (tshark, editcap, mergecap, text2pcap) for tests. Tests that need them
 * call {@link #assumeInstalled()}, which skips them, with a message, only when tshark is absent.
 */
public final class Tshark {
    private Tshark() {}

    private static final Path BIN = Path.of("/usr/bin");

    /** The path of a Wireshark tool, found in /usr/bin or on the PATH; null if absent. */
    public static Path tool(String name) {
        if (Files.isExecutable(BIN.resolve(name))) {
            return BIN.resolve(name);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(tool("tshark") != null,
                "tshark is not installed (apt-get install tshark): skipping the checks against Wireshark");
    }

    public static void assumeTool(String name) {
        Assumptions.assumeTrue(tool(name) != null,
                name + " is not installed (apt-get install wireshark-common): skipping");
    }

    /** Runs a tool; returns its standard output, failing the test on a non-zero exit or a timeout. */
    public static String run(String tool, String... args) {
        Path exe = tool(tool);
        assertTrue(exe != null, tool + " is not installed");
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " timed out");
            }
            String stderr = err.join();
            if (p.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + p.exitValue() + ": " + stderr);
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code tshark -r file -T fields -e ...} with tab-separated fields: one array per frame. */
    public static List<String[]> fields(Path file, List<String> options, String... fields) {
        List<String> args = new ArrayList<>(List.of("-r", file.toString(), "-T", "fields", "-E", "occurrence=f"));
        args.addAll(options);
        for (String f : fields) {
            args.add("-e");
            args.add(f);
        }
        String out = run("tshark", args.toArray(String[]::new));
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (!line.isEmpty()) {
                String[] cols = line.split("\t", -1);
                assertEquals(fields.length, cols.length, "tshark fields line: " + line);
                rows.add(cols);
            }
        }
        return rows;
    }

    /** What tshark reads of each frame: timestamp, lengths, interface and bytes. */
    public record Frame(long timestampNanos, int length, int capturedLength, int interfaceId, byte[] data) {}

    private static final Pattern RAW = Pattern.compile("\"frame_raw\": \\[\\s*\"([0-9a-f]*)\"");

    /** Every frame of a capture as tshark reads it. */
    public static List<Frame> frames(Path file) {
        List<String[]> rows = fields(file, List.of(), "frame.time_epoch", "frame.len", "frame.cap_len",
                "frame.interface_id");
        String json = run("tshark", "-r", file.toString(), "-T", "json", "-x");
        Matcher m = RAW.matcher(json);
        List<byte[]> raw = new ArrayList<>();
        while (m.find()) {
            raw.add(HexFormat.of().parseHex(m.group(1)));
        }
        assertEquals(rows.size(), raw.size(), "frames in the fields and json output of tshark");
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            frames.add(new Frame(epochNanos(r[0]), Integer.parseInt(r[1]), Integer.parseInt(r[2]),
                    r[3].isEmpty() ? 0 : Integer.parseInt(r[3]), raw.get(i)));
        }
        return frames;
    }

    /** Nanoseconds from tshark's {@code seconds.fraction}. */
    public static long epochNanos(String epoch) {
        return new BigDecimal(epoch).movePointRight(9).longValueExact();
    }
}
