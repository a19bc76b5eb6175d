package org.bpf4j.core.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Fixed-size conversion between Java values and the bytes of a map key or value, little-endian as the
 * programs (on x86 and arm64) see them. Used for both keys and values of a {@link TypedMap}.
 *
 * <pre>{@code
 * record Flow(int saddr, int daddr, short sport, short dport, byte proto) {}
 * TypedMap<Flow, Long> flows = map.typed(Codec.struct(Flow.class), Codec.int64());
 * }</pre>
 */
public interface Codec<T> {
    /** The size in bytes of every encoding. */
    int size();

    /** Writes {@code value} at {@code at}, {@link #size()} bytes. */
    void encode(T value, byte[] into, int at);

    /** Reads the value at {@code at}. */
    T decode(byte[] from, int at);

    /** A new array holding the encoding. */
    default byte[] encode(T value) {
        byte[] b = new byte[size()];
        encode(value, b, 0);
        return b;
    }

    default T decode(byte[] from) {
        return decode(from, 0);
    }

    /** A 1-byte integer. */
    static Codec<Byte> int8() {
        return of(1, (v, b) -> b.put(v), ByteBuffer::get);
    }

    /** A 2-byte little-endian integer. */
    static Codec<Short> int16() {
        return of(2, (v, b) -> b.putShort(v), ByteBuffer::getShort);
    }

    /** A 4-byte little-endian integer (a {@code __u32} too: read it with {@link Integer#toUnsignedLong}). */
    static Codec<Integer> int32() {
        return of(4, (v, b) -> b.putInt(v), ByteBuffer::getInt);
    }

    /** An 8-byte little-endian integer. */
    static Codec<Long> int64() {
        return of(8, (v, b) -> b.putLong(v), ByteBuffer::getLong);
    }

    /** Raw bytes of a fixed length (shorter arrays are zero-padded, longer ones rejected). */
    static Codec<byte[]> bytes(int size) {
        return new Codec<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void encode(byte[] value, byte[] into, int at) {
                if (value.length > size) {
                    throw new IllegalArgumentException(value.length + " bytes do not fit a " + size + "-byte field");
                }
                System.arraycopy(value, 0, into, at, value.length);
                Arrays.fill(into, at + value.length, at + size, (byte) 0);
            }

            @Override
            public byte[] decode(byte[] from, int at) {
                return Arrays.copyOfRange(from, at, at + size);
            }
        };
    }

    /** A codec from a writer and a reader of a little-endian {@link ByteBuffer} of exactly {@code size} bytes. */
    static <T> Codec<T> of(int size, BiConsumer<T, ByteBuffer> writer, Function<ByteBuffer, T> reader) {
        Objects.requireNonNull(writer);
        Objects.requireNonNull(reader);
        return new Codec<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void encode(T value, byte[] into, int at) {
                writer.accept(value, ByteBuffer.wrap(into, at, size).order(ByteOrder.LITTLE_ENDIAN));
            }

            @Override
            public T decode(byte[] from, int at) {
                return reader.apply(ByteBuffer.wrap(from, at, size).order(ByteOrder.LITTLE_ENDIAN));
            }
        };
    }

    /**
     * A record laid out as the C struct with the same fields in the same order: components of type byte,
     * short, char, int, long, float, double or boolean (1 byte), each at its natural alignment, the size rounded
     * up to the largest alignment, padding zero. Little-endian.
     */
    static <R extends Record> Codec<R> struct(Class<R> type) {
        RecordComponent[] cs = type.getRecordComponents();
        if (cs == null) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        int[] offsets = new int[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        MethodHandle[] getters = new MethodHandle[cs.length];
        int at = 0;
        int align = 1;
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                int size = primitiveSize(types[i], type);
                at = (at + size - 1) / size * size;
                offsets[i] = at;
                at += size;
                align = Math.max(align, size);
                cs[i].getAccessor().setAccessible(true);
                getters[i] = lookup.unreflect(cs[i].getAccessor());
            }
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            MethodHandle constructor = lookup.unreflectConstructor(ctor);
            int total = (at + align - 1) / align * align;
            return new Codec<>() {
                @Override
                public int size() {
                    return total;
                }

                @Override
                public void encode(R value, byte[] into, int at) {
                    ByteBuffer b = ByteBuffer.wrap(into, at, total).order(ByteOrder.LITTLE_ENDIAN);
                    Arrays.fill(into, at, at + total, (byte) 0);
                    try {
                        for (int i = 0; i < types.length; i++) {
                            Object v = getters[i].invoke(value);
                            int o = at + offsets[i];
                            switch (v) {
                                case Byte x -> b.put(o, x);
                                case Boolean x -> b.put(o, (byte) (x ? 1 : 0));
                                case Short x -> b.putShort(o, x);
                                case Character x -> b.putChar(o, x);
                                case Integer x -> b.putInt(o, x);
                                case Long x -> b.putLong(o, x);
                                case Float x -> b.putFloat(o, x);
                                case Double x -> b.putDouble(o, x);
                                default -> throw new IllegalStateException();
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }

                @Override
                public R decode(byte[] from, int at) {
                    ByteBuffer b = ByteBuffer.wrap(from, at, total).order(ByteOrder.LITTLE_ENDIAN);
                    Object[] args = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        int o = at + offsets[i];
                        Class<?> t = types[i];
                        args[i] = t == byte.class ? (Object) b.get(o)
                                : t == boolean.class ? (Object) (b.get(o) != 0)
                                : t == short.class ? (Object) b.getShort(o)
                                : t == char.class ? (Object) b.getChar(o)
                                : t == int.class ? (Object) b.getInt(o)
                                : t == long.class ? (Object) b.getLong(o)
                                : t == float.class ? (Object) b.getFloat(o)
                                : (Object) b.getDouble(o);
                    }
                    try {
                        @SuppressWarnings("unchecked")
                        R r = (R) constructor.invokeWithArguments(args);
                        return r;
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot access record " + type.getName() + ": " + e, e);
        }
    }

    private static int primitiveSize(Class<?> t, Class<?> record) {
        if (t == byte.class || t == boolean.class) {
            return 1;
        } else if (t == short.class || t == char.class) {
            return 2;
        } else if (t == int.class || t == float.class) {
            return 4;
        } else if (t == long.class || t == double.class) {
            return 8;
        }
        throw new IllegalArgumentException(record.getName() + ": component of type " + t.getName()
                + " has no fixed C layout (use primitives)");
    }
}
