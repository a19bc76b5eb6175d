package org.bpf4j.core.btf;

/** The kinds of BTF types, with their numbers ({@code BTF_KIND_*} in {@code include/uapi/linux/btf.h}). */
public enum BtfKind {
    VOID(0), INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8), VOLATILE(9), CONST(10),
    RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15), FLOAT(16), DECL_TAG(17), TYPE_TAG(18), ENUM64(19);

    private final int id;

    BtfKind(int id) {
        this.id = id;
    }

    /** The kernel's number. */
    public int id() {
        return id;
    }

    /** The kind with this number, or null. */
    public static BtfKind of(int id) {
        for (BtfKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        return null;
    }
}
