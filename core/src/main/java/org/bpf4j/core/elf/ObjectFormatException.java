package org.bpf4j.core.elf;

/**
 * A BPF object file that bpf4j cannot read: malformed ELF, BTF or code, or a feature it does not support. The
 * message names the section, symbol, relocation or instruction concerned.
 */
public class ObjectFormatException extends IllegalArgumentException {
    public ObjectFormatException(String message) {
        super(message);
    }

    public ObjectFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
