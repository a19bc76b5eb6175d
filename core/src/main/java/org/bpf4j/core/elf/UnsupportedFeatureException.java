package org.bpf4j.core.elf;

/** A well-formed object that uses a feature bpf4j does not support (CO-RE, kfuncs, externs...). */
public class UnsupportedFeatureException extends ObjectFormatException {
    public UnsupportedFeatureException(String message) {
        super(message);
    }

    public UnsupportedFeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
