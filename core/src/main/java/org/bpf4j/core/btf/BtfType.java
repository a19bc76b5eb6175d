package org.bpf4j.core.btf;

import java.util.List;

/**
 * One BTF type, decoded. Type ids are indexes into {@link Btf}: id 0 is {@link Void}, the first type in the
 * section is id 1. References to other types are ids; {@link Btf#type(int)} looks them up.
 */
public sealed interface BtfType {

    BtfKind kind();

    /** The type's name, empty when anonymous (or for kinds without a name). */
    default String name() {
        return "";
    }

    /** {@code void}: type id 0. */
    record Void() implements BtfType {
        public BtfKind kind() {
            return BtfKind.VOID;
        }
    }

    /** An integer: {@code encoding} holds the SIGNED (1), CHAR (2) and BOOL (4) bits. */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1, CHAR = 2, BOOL = 4;

        public BtfKind kind() {
            return BtfKind.INT;
        }
    }

    record Ptr(int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }
    }

    /** An array; {@code elements} is unsigned 32-bit in BTF, here as a long. */
    record Array(int elementType, int indexType, long elements) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }
    }

    /** A struct or union member: bit offset and, in bitfield encoding ({@code kind_flag}), the bitfield size. */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {}

    /** STRUCT or UNION. */
    record Struct(String name, int size, boolean union, List<Member> members) implements BtfType {
        public Struct {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return union ? BtfKind.UNION : BtfKind.STRUCT;
        }

        /** The member of this name, or null. */
        public Member member(String memberName) {
            return members.stream().filter(m -> m.name().equals(memberName)).findFirst().orElse(null);
        }
    }

    record EnumValue(String name, long value) {}

    /** ENUM (32-bit values) or ENUM64 ({@code wide}); {@code signed} is the kind_flag. */
    record Enum(String name, int size, boolean signed, boolean wide, List<EnumValue> values) implements BtfType {
        public Enum {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return wide ? BtfKind.ENUM64 : BtfKind.ENUM;
        }
    }

    /** A forward declaration of a struct or ({@code union}) a union. */
    record Fwd(String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    record Typedef(String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    record Volatile(int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    record Const(int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    record Restrict(int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /** A function: {@code type} is its FUNC_PROTO; linkage 0 static, 1 global, 2 extern. */
    record Func(String name, int type, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A parameter; a trailing one with name "" and type 0 means {@code ...}. */
    record Param(String name, int type) {}

    record FuncProto(int returnType, List<Param> params) implements BtfType {
        public FuncProto {
            params = List.copyOf(params);
        }

        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }
    }

    /** A global variable: linkage 0 static, 1 global, 2 extern. */
    record Var(String name, int type, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** A variable of a DATASEC: its VAR type, offset and size in the section. */
    record VarSecInfo(int type, long offset, long size) {}

    /** A data section's variables. */
    record Datasec(String name, long size, List<VarSecInfo> vars) implements BtfType {
        public Datasec {
            vars = List.copyOf(vars);
        }

        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    record Float(String name, int size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /** A tag on a type, or ({@code componentIndex >= 0}) on a member or parameter of it. */
    record DeclTag(String name, int type, int componentIndex) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    record TypeTag(String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }
}
