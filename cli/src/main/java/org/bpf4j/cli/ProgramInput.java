package org.bpf4j.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bpf4j.core.asm.Assembler;
import org.bpf4j.core.asm.Syntax;
import org.bpf4j.core.isa.Slot;

/** Reads a program given on the command line: raw bytecode, or assembly in either syntax. */
final class ProgramInput {
    private ProgramInput() {}

    /** How to read a program file. */
    enum Format { AUTO, RAW, CONFORMANCE, LLVM }

    static long[] read(Path file, Format format) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Format f = format == Format.AUTO ? guess(file, bytes) : format;
        return switch (f) {
            case RAW -> Slot.fromBytes(bytes);
            case CONFORMANCE -> Assembler.assembleToSlots(text(file, bytes), Syntax.CONFORMANCE);
            case LLVM -> Assembler.assembleToSlots(text(file, bytes), Syntax.LLVM);
            case AUTO -> Assembler.assembleToSlots(text(file, bytes), Syntax.detect(text(file, bytes)));
        };
    }

    // Assembly is text; bytecode almost never decodes as clean UTF-8 without control characters.
    private static Format guess(Path file, byte[] bytes) {
        String name = file.getFileName().toString();
        if (name.endsWith(".bin") || name.endsWith(".raw")) {
            return Format.RAW;
        }
        if (name.endsWith(".asm") || name.endsWith(".s")) {
            return Format.AUTO;
        }
        try {
            String t = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return t.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? Format.RAW : Format.AUTO;
        } catch (CharacterCodingException e) {
            return Format.RAW;
        }
    }

    private static String text(Path file, byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
