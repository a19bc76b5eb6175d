package org.bpf4j.runtime.helpers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The kernel's helper names by number, so that a refusal can say which helper a program wanted. */
public final class KernelHelperNames {
    private KernelHelperNames() {}

    private static final Map<Integer, String> NAMES = load();

    /** The helper's name, e.g. {@code bpf_skb_vlan_push}, or {@code helper #N} when unknown. */
    public static String of(int id) {
        return NAMES.getOrDefault(id, "helper #" + id);
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> names = new HashMap<>();
        try (var in = KernelHelperNames.class.getResourceAsStream("kernel-helpers.txt")) {
            if (in == null) {
                return names;
            }
            var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && !line.startsWith("#")) {
                    names.put(Integer.parseInt(f[0]), f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
