package org.bpf4j.kernel.sys;

import org.bpf4j.core.api.Errno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The attribute layouts against the offsets of include/uapi/linux/bpf.h (as offsetof gives them on x86_64). */
class BpfAttrTest {
    @Test
    void progLoadMembersSitWhereTheKernelReadsThem() {
        assertEquals(0, BpfAttr.offset(BpfAttr.PROG_LOAD, "prog_type"));
        assertEquals(8, BpfAttr.offset(BpfAttr.PROG_LOAD, "insns"));
        assertEquals(16, BpfAttr.offset(BpfAttr.PROG_LOAD, "license"));
        assertEquals(24, BpfAttr.offset(BpfAttr.PROG_LOAD, "log_level"));
        assertEquals(32, BpfAttr.offset(BpfAttr.PROG_LOAD, "log_buf"));
        assertEquals(48, BpfAttr.offset(BpfAttr.PROG_LOAD, "prog_name"));
        assertEquals(68, BpfAttr.offset(BpfAttr.PROG_LOAD, "expected_attach_type"));
        assertEquals(72, BpfAttr.offset(BpfAttr.PROG_LOAD, "prog_btf_fd"));
        assertEquals(80, BpfAttr.offset(BpfAttr.PROG_LOAD, "func_info"));
        assertEquals(96, BpfAttr.offset(BpfAttr.PROG_LOAD, "line_info"));
        assertEquals(104, BpfAttr.offset(BpfAttr.PROG_LOAD, "line_info_cnt"));
        assertEquals(112, BpfAttr.offset(BpfAttr.PROG_LOAD, "attach_prog_fd"));
        assertEquals(112, BpfAttr.offset(BpfAttr.PROG_LOAD, "attach_btf_obj_fd"));
        assertEquals(120, BpfAttr.offset(BpfAttr.PROG_LOAD, "fd_array"));
        assertEquals(136, BpfAttr.offset(BpfAttr.PROG_LOAD, "core_relo_rec_size"));
        assertEquals(140, BpfAttr.offset(BpfAttr.PROG_LOAD, "log_true_size"));
        assertEquals(152, BpfAttr.PROG_LOAD.byteSize());
    }

    @Test
    void otherCommandsToo() {
        assertEquals(28, BpfAttr.offset(BpfAttr.MAP_CREATE, "map_name"));
        assertEquals(48, BpfAttr.offset(BpfAttr.MAP_CREATE, "btf_fd"));
        assertEquals(56, BpfAttr.offset(BpfAttr.MAP_CREATE, "btf_value_type_id"));
        assertEquals(64, BpfAttr.offset(BpfAttr.MAP_CREATE, "map_extra"));
        assertEquals(8, BpfAttr.offset(BpfAttr.MAP_ELEM, "key"));
        assertEquals(16, BpfAttr.offset(BpfAttr.MAP_ELEM, "value"));
        assertEquals(16, BpfAttr.offset(BpfAttr.MAP_ELEM, "next_key"));
        assertEquals(24, BpfAttr.offset(BpfAttr.MAP_ELEM, "flags"));
        assertEquals(32, BpfAttr.offset(BpfAttr.MAP_BATCH, "count"));
        assertEquals(36, BpfAttr.offset(BpfAttr.MAP_BATCH, "map_fd"));
        assertEquals(48, BpfAttr.offset(BpfAttr.MAP_BATCH, "flags"));
        assertEquals(48, BpfAttr.offset(BpfAttr.TEST_RUN, "ctx_in"));
        assertEquals(64, BpfAttr.offset(BpfAttr.TEST_RUN, "flags"));
        assertEquals(72, BpfAttr.offset(BpfAttr.TEST_RUN, "batch_size"));
        assertEquals(8, BpfAttr.offset(BpfAttr.OBJ, "bpf_fd"));
        assertEquals(4, BpfAttr.offset(BpfAttr.GET_ID, "next_id"));
        assertEquals(8, BpfAttr.offset(BpfAttr.GET_ID, "open_flags"));
        assertEquals(8, BpfAttr.offset(BpfAttr.INFO, "info"));
        assertEquals(24, BpfAttr.offset(BpfAttr.BTF_LOAD, "btf_log_level"));
        assertEquals(28, BpfAttr.offset(BpfAttr.BTF_LOAD, "btf_log_true_size"));
        assertEquals(4, BpfAttr.offset(BpfAttr.LINK_CREATE, "target_ifindex"));
        assertEquals(12, BpfAttr.offset(BpfAttr.LINK_CREATE, "flags"));
        assertEquals(16, BpfAttr.offset(BpfAttr.LINK_CREATE, "target_btf_id"));
        assertEquals(16, BpfAttr.offset(BpfAttr.LINK_CREATE, "relative_fd"));
        assertEquals(24, BpfAttr.offset(BpfAttr.LINK_CREATE, "expected_revision"));
        assertEquals(12, BpfAttr.offset(BpfAttr.LINK_UPDATE, "old_prog_fd"));
        assertEquals(0, BpfAttr.offset(BpfAttr.LINK_DETACH, "link_fd"));
    }

    @Test
    void accessorsWriteLittleEndianAndCheckSizes() {
        try (Arena arena = Arena.ofConfined()) {
            BpfAttr a = BpfAttr.allocate(arena, BpfAttr.MAP_CREATE).u32("map_type", 2).u64("map_extra", 0x0102030405L)
                    .name("map_name", "abc");
            assertEquals(2, a.u32("map_type"));
            assertEquals(0x0102030405L, a.u64("map_extra"));
            assertEquals('a', a.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 28));
            assertEquals(0, a.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 31));
            assertThrows(IllegalArgumentException.class, () -> a.u64("map_type", 1));
            assertThrows(IllegalArgumentException.class, () -> a.u32("no_such_member", 1));
            assertThrows(IllegalArgumentException.class, () -> a.name("map_name", "sixteen-chars-xx"));
        }
    }

    @Test
    void namesAreCutAndCleanedAsTheKernelWantsThem() {
        assertEquals("protocount_map", Names.objectName("protocount_map"));
        assertEquals("a_very_long_nam", Names.objectName("a_very_long_name_indeed"));
        assertEquals("tc_ingress.x_y", Names.objectName("tc/ingress.x-y"));
        assertEquals(15, Names.objectName("x".repeat(40)).length());
    }

    @Test
    void possibleCpuListsAreCounted() {
        assertEquals(2, PossibleCpus.parse("0-1\n"));
        assertEquals(1, PossibleCpus.parse("0"));
        assertEquals(7, PossibleCpus.parse("0,2-5,8-9"));
        assertThrows(IllegalArgumentException.class, () -> PossibleCpus.parse("3-1"));
        assertThrows(IllegalArgumentException.class, () -> PossibleCpus.parse("x"));
    }

    @Test
    void theSyscallNumberFollowsTheArchitecture() {
        assertEquals(321, Native.bpfSyscallNumber("amd64"));
        assertEquals(280, Native.bpfSyscallNumber("aarch64"));
        assertEquals(-1, Native.bpfSyscallNumber("riscv64"));
    }

    @Test
    void errnoNamesAndMessages() {
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("E2BIG", Errno.name(7));
        assertEquals("ENOTSUPP", Errno.name(524));
        assertEquals("No such file or directory", Errno.strerror(2));
        BpfSyscallException e = new BpfSyscallException(BpfCommand.BPF_MAP_LOOKUP_ELEM, 2, "map fd 5");
        assertEquals("BPF_MAP_LOOKUP_ELEM (map fd 5) failed: ENOENT (errno 2, No such file or directory)",
                e.getMessage());
    }
}
