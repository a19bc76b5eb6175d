package org.bpf4j.core.btf;

/** BTF or BTF.ext bytes that do not follow the format ({@code Documentation/bpf/btf.rst}), with the reason. */
public class BtfFormatException extends IllegalArgumentException {
    public BtfFormatException(String message) {
        super(message);
    }
}
