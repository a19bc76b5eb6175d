// SPDX-License-Identifier: GPL-2.0
/* bpf_trace_printk with the conversions the kernel accepts, and some it refuses. Every call's result is
 * kept in printk_ret, in call order. */
#include "common.h"

long printk_ret[16];

#define PRINTK(i, fmt, ...)                                                                   \
	({                                                                                    \
		static const char ____fmt[] = fmt;                                            \
		printk_ret[i] = bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__);    \
	})

SEC("xdp")
int trace(struct xdp_md *ctx)
{
	static const char hello[] = "hello";
	__u8 ip4[4] = {192, 168, 1, 7};

	PRINTK(0, "d=%d u=%u x=%x\n", -5, -5, 0xbeef);
	PRINTK(1, "llx=%llx lld=%lld llu=%llu\n", 0x1122334455667788ULL, -1LL, -1LL);
	PRINTK(2, "s=%s c=%c 100%%\n", hello, 'Z');
	PRINTK(3, "i=%i X=%X lx=%lx\n", 42, 0xbeef, 0xfffffffffULL);
	PRINTK(4, "[%5d] [%-5d] [%05d]\n", 42, 42, -42);
	PRINTK(5, "[%+d] [% d] [%8s]\n", 7, 7, hello);
	PRINTK(6, "ip=%pI4 padded=%pi4\n", ip4, ip4);
	PRINTK(7, "no newline");
	PRINTK(8, "four %d %d %d %d\n", 1, 2, 3);
	PRINTK(9, "bad %q\n", 1);
	PRINTK(10, "bad \x01 char\n");
	PRINTK(11, "precision %.2d\n", 1);
	PRINTK(12, "short %hd\n", 1);
	PRINTK(13, "[%-3c] [%3c]\n", 'a', 'b');
	PRINTK(14, "[%x] [%-6x] [%06u]\n", -1, 255, 12);
	return XDP_PASS;
}

/* A %p line: the kernel prints a hashed pointer, bpf4j the address itself. */
SEC("xdp")
int trace_pointer(struct xdp_md *ctx)
{
	static const char fmt[] = "p=%p\n";
	return bpf_trace_printk(fmt, sizeof(fmt), DATA(ctx));
}

/* Pointers and strings: IPv6 addresses, %pks, %ps of an address that is no kernel symbol, a %s that cannot be
 * read, strings that overflow the 512-byte argument buffer. Results in printk_ret. */
static const char long_string[300] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
				     "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
				     "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
				     "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";

SEC("xdp")
int trace_more(struct xdp_md *ctx)
{
	static const char hello[] = "hello";
	__u8 ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	__u8 ip4[4] = {10, 0, 0, 1};

	PRINTK(0, "ip6=%pI6 raw=%pi6\n", ip6, ip6);
	PRINTK(1, "ks=%pks\n", hello);
	PRINTK(2, "sym=%ps\n", 0x1234);
	PRINTK(3, "bad=[%s]\n", 8);
	PRINTK(4, "[%-16pI4] [%16pI4]\n", ip4, ip4);
	PRINTK(5, "%s|%s\n", long_string, long_string);
	PRINTK(6, "%s|%d\n", long_string, 5);
	PRINTK(7, "%s %s %d\n", long_string, long_string, 1);
	PRINTK(8, "%5%\n");
	PRINTK(9, "end %");
	PRINTK(10, "%ls\n", hello);
	PRINTK(11, "%sx\n", hello);
	PRINTK(12, "%pI4x\n", ip4);
	PRINTK(13, "[%-08d] [%-+5d] [%016llx]\n", 3, 3, 0xabcULL);
	PRINTK(14, "px=%px\n", 0xabcdef);
	return XDP_PASS;
}

/* A line longer than the kernel's 1024-byte output buffer. */
SEC("xdp")
int trace_long(struct xdp_md *ctx)
{
	static const char fmt[] = "%1000d|%30d\n";
	return bpf_trace_printk(fmt, sizeof(fmt), 1, 2);
}

char LICENSE[] SEC("license") = "GPL";
