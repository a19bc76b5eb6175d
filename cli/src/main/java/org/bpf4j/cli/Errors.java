package org.bpf4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one line a user reads. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        return switch (e) {
            case NoSuchFileException n -> "no such file: " + n.getFile();
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case java.io.IOException io -> "I/O error: " + io.getMessage();
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }
}
