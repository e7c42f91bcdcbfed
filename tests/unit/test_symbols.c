// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* probes/symbols.c on this test binary's own addresses and its own stack. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/symbols.h"

/* its first line: the entry address is on one of its four (-O2 drops the prologue) */
static const int known_line = __LINE__ + 1;
__attribute__((noinline)) int symbols_known_function(int x)
{
	asm volatile("" : "+r"(x));
	return x * 3 + 1;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = s ? strlen(s) : 0, m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

Test(symbols, names_file_line_and_module_of_own_function, .timeout = 30)
{
	struct symbols *s = symbols_new(getpid(), NULL);
	struct stack_frame f;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	cr_assert(s, "symbols_new: %s", strerror(errno));
	cr_assert(n > 0);
	exe[n] = '\0';
	cr_assert_eq(symbols_frame(s, (__u64)(uintptr_t)symbols_known_function, false, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "symbols_known_function");
	cr_expect(ends_with(f.file, "tests/unit/test_symbols.c"), "file %s", f.file);
	cr_expect(f.line >= (__u32)known_line && f.line <= (__u32)known_line + 3,
		  "line %u, expected %d to %d", f.line, known_line, known_line + 3);
	cr_expect_str_eq(f.module ? f.module : "(null)", exe);
	symbols_frame_clear(&f);
	symbols_free(s);
}

Test(symbols, maps_text_read_earlier_gives_the_same, .timeout = 30)
{
	char *maps = NULL;
	size_t len = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	struct symbols *s;
	struct stack_frame fr;

	cr_assert(f);
	cr_assert(getdelim(&maps, &len, '\0', f) > 0);
	fclose(f);
	s = symbols_new(getpid(), maps);
	cr_assert(s);
	/* a return address is looked up at the call: one byte into the function is still it */
	cr_assert_eq(symbols_frame(s, (__u64)(uintptr_t)symbols_known_function + 1, true, &fr), 0);
	cr_expect_str_eq(fr.function ? fr.function : "(null)", "symbols_known_function");
	symbols_frame_clear(&fr);
	symbols_free(s);
	free(maps);
}

Test(symbols, unknown_address_stays_unsymbolised, .timeout = 30)
{
	struct symbols *s = symbols_new(getpid(), NULL);
	struct stack_frame f;

	cr_assert(s);
	cr_assert_eq(symbols_frame(s, 16, false, &f), 0);
	cr_expect_null(f.function);
	cr_expect_null(f.module);
	cr_expect_eq(f.addr, 16);
	symbols_free(s);
}

#ifdef __x86_64__
static struct stack_sample *sample;

/*
 * The raw stack, redzones and all, as the kernel copies it: read word by
 * word through volatile, so no instrumented memcpy() looks at it (ASan).
 */
__attribute__((no_sanitize("address"))) static void stack_copy(__u8 *to, __u64 sp, size_t n)
{
	const volatile __u64 *from = (const volatile __u64 *)(uintptr_t)sp;
	__u64 *dst = (__u64 *)to;

	for (size_t i = 0; i < n / sizeof(*dst); i++)
		dst[i] = from[i];
}

/* Registers and the stack above them, as the BPF side copies them at a switch-out. */
__attribute__((noinline)) void symbols_take_sample(void)
{
	__u64 ip, sp, bp;

	asm volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1\n\tmov %%rbp, %2"
		     : "=r"(ip), "=r"(sp), "=r"(bp));
	memset(sample, 0, sizeof(*sample));
	sample->regs[16] = ip;
	sample->regs[7] = sp;
	sample->regs[6] = bp;
	sample->size = STACK_COPY;
	stack_copy(sample->data, sp, STACK_COPY);
}

__attribute__((noinline)) void symbols_sample_caller(void)
{
	symbols_take_sample();
	asm volatile("" ::: "memory"); /* no tail call: this frame stays */
}

Test(symbols, unwinds_a_copied_stack_with_cfi, .timeout = 30)
{
	struct symbols *s;
	struct stack_frame f;
	__u64 pcs[STACK_DEPTH];
	bool complete;
	int n;

	sample = calloc(1, sizeof(*sample));
	cr_assert(sample);
	symbols_sample_caller();
	s = symbols_new(getpid(), NULL);
	cr_assert(s);
	n = symbols_unwind(s, sample, pcs, STACK_DEPTH, &complete);
	cr_assert(n >= 3, "unwound %d frames", n);
	cr_assert_eq(symbols_frame(s, pcs[0], false, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "symbols_take_sample");
	symbols_frame_clear(&f);
	cr_assert_eq(symbols_frame(s, pcs[1], true, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "symbols_sample_caller");
	symbols_frame_clear(&f);
	symbols_free(s);
	free(sample);
}
#endif

/*
 * Go writes no .debug_aranges: libdw then finds no unit for an address, and
 * so no line. This binary again without its aranges (objcopy), mapped where
 * it is: the line comes from walking the units.
 */
Test(symbols, a_binary_without_aranges_still_has_lines, .timeout = 60)
{
	char exe[4096], copy[] = "/tmp/advisor-noaranges-XXXXXX", cmd[9000], line[8192];
	char *maps = NULL;
	size_t len = 0;
	FILE *in, *out;
	struct symbols *s;
	struct stack_frame f;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd = mkstemp(copy);

	cr_assert(n > 0 && fd >= 0);
	exe[n] = '\0';
	close(fd);
	snprintf(cmd, sizeof(cmd), "objcopy --remove-section=.debug_aranges '%s' '%s'", exe, copy);
	if (system(cmd)) {
		unlink(copy);
		cr_skip_test("no objcopy (binutils)");
	}
	/* the maps text with this binary's lines naming the copy */
	in = fopen("/proc/self/maps", "r");
	out = open_memstream(&maps, &len);
	cr_assert(in && out);
	while (fgets(line, sizeof(line), in)) {
		char *at = strstr(line, exe);

		if (at && at[strlen(exe)] == '\n') {
			fwrite(line, 1, at - line, out);
			fprintf(out, "%s\n", copy);
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	fclose(out);
	s = symbols_new(getpid(), maps);
	cr_assert(s, "symbols_new: %s", strerror(errno));
	cr_assert_eq(symbols_frame(s, (__u64)(uintptr_t)symbols_known_function, false, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "symbols_known_function");
	cr_expect(f.file && ends_with(f.file, "test_symbols.c"), "file %s", f.file ? f.file : "(null)");
	cr_expect(f.line >= (unsigned)known_line && f.line <= (unsigned)known_line + 3, "line %u, want %d..%d",
		  f.line, known_line, known_line + 3);
	symbols_frame_clear(&f);
	symbols_free(s);
	unlink(copy);
	free(maps);
}
