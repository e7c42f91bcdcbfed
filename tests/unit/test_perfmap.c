// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* probes/perfmap.c: a JIT's perf map, parsed and looked up; and symbols.c naming JIT code. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probes/perfmap.h"
#include "probes/symbols.h"

static struct perfmap *parse(const char *text, size_t *skipped)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct perfmap *m;

	cr_assert(f);
	m = perfmap_parse(f, skipped);
	fclose(f);
	cr_assert(m, "perfmap_parse: %s", strerror(errno));
	return m;
}

static const char *name_at(const struct perfmap *m, __u64 addr)
{
	const char *n = perfmap_lookup(m, addr);

	return n ? n : "(none)";
}

Test(perfmap, finds_the_function_holding_an_address_and_none_outside)
{
	/* node --perf-basic-prof writes lines like these, unsorted */
	struct perfmap *m = parse("3a2e8c40 2c LazyCompile:~fib /app/fib.js:3\n"
				  "3a2e8000 100 Builtin:ArgumentsAdaptorTrampoline\n"
				  "0x3a2e9000 0x40 py::spin:/app/x.py\n",
				  NULL);

	cr_expect_eq(perfmap_size(m), 3);
	cr_expect_str_eq(name_at(m, 0x3a2e8000), "Builtin:ArgumentsAdaptorTrampoline");
	cr_expect_str_eq(name_at(m, 0x3a2e80ff), "Builtin:ArgumentsAdaptorTrampoline");
	cr_expect_str_eq(name_at(m, 0x3a2e8100), "(none)", "the end is not in the entry");
	/* the name is the rest of the line, spaces and all */
	cr_expect_str_eq(name_at(m, 0x3a2e8c40), "LazyCompile:~fib /app/fib.js:3");
	cr_expect_str_eq(name_at(m, 0x3a2e8c6b), "LazyCompile:~fib /app/fib.js:3");
	cr_expect_str_eq(name_at(m, 0x3a2e8c6c), "(none)");
	cr_expect_str_eq(name_at(m, 0x3a2e9020), "py::spin:/app/x.py", "0x prefixes are read");
	cr_expect_str_eq(name_at(m, 0x3a2e7fff), "(none)");
	cr_expect_str_eq(name_at(m, 0), "(none)");
	cr_expect_str_eq(name_at(m, ~0ULL), "(none)");
	perfmap_free(m);
}

Test(perfmap, code_recompiled_into_the_same_memory_takes_the_later_name)
{
	/* a long entry written first, then two short ones inside it, one rewritten */
	struct perfmap *m = parse("1000 1000 old_long\n"
				  "1400 100 first\n"
				  "1400 100 second\n"
				  "1800 10 inner\n",
				  NULL);

	cr_expect_str_eq(name_at(m, 0x1450), "second");
	cr_expect_str_eq(name_at(m, 0x1808), "inner");
	/* past the short ones, the long one still holds the address */
	cr_expect_str_eq(name_at(m, 0x1900), "old_long");
	cr_expect_str_eq(name_at(m, 0x1fff), "old_long");
	cr_expect_str_eq(name_at(m, 0x2000), "(none)");
	perfmap_free(m);

	/* and an earlier-written short one inside a later long one loses */
	m = parse("1400 100 short_first\n1000 1000 long_later\n", NULL);
	cr_expect_str_eq(name_at(m, 0x1450), "long_later");
	perfmap_free(m);
}

Test(perfmap, lines_that_do_not_parse_are_skipped_and_counted)
{
	size_t skipped = 99;
	/* no size, size 0, not hex, no name, an overflowing end, an empty line */
	struct perfmap *m = parse("1000\n"
				  "1000 0 zero\n"
				  "zz 10 nothex\n"
				  "2000 10 \n"
				  "ffffffffffffff00 1000 wraps\n"
				  "\n"
				  "3000 10 good\r\n"
				  "4000 10 last without newline",
				  &skipped);

	cr_expect_eq(perfmap_size(m), 2);
	cr_expect_eq(skipped, 6);
	cr_expect_str_eq(name_at(m, 0x3000), "good", "the CR of a CRLF line is not in the name");
	cr_expect_str_eq(name_at(m, 0x400f), "last without newline");
	cr_expect_str_eq(name_at(m, 0x1000), "(none)");
	perfmap_free(m);
}

Test(perfmap, long_names_are_cut_and_an_empty_map_finds_nothing)
{
	size_t n = PERFMAP_NAME_MAX * 2, skipped = 1;
	char *text = malloc(n + 32);
	struct perfmap *m;

	cr_assert(text);
	strcpy(text, "5000 10 ");
	memset(text + strlen(text), 'a', n);
	text[8 + n] = '\n';
	text[9 + n] = 0;
	m = parse(text, NULL);
	cr_expect_eq(strlen(name_at(m, 0x5000)), PERFMAP_NAME_MAX);
	perfmap_free(m);
	free(text);

	m = parse("", &skipped);
	cr_expect_eq(perfmap_size(m), 0);
	cr_expect_eq(skipped, 0);
	cr_expect_null(perfmap_lookup(m, 0x5000));
	perfmap_free(m);
	cr_expect_null(perfmap_lookup(NULL, 0x5000));
}

/* symbols.c: an address in anonymous memory is named from /tmp/perf-PID.map */
Test(perfmap, symbols_name_jit_code_from_the_process_s_perf_map, .timeout = 30)
{
	char path[64];
	void *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct symbols *s;
	struct stack_frame f;
	FILE *out;

	cr_assert(code != MAP_FAILED);
	snprintf(path, sizeof(path), PERFMAP_PATH_FMT, (int)getpid());
	out = fopen(path, "w");
	cr_assert(out, "%s: %s", path, strerror(errno));
	fprintf(out, "%llx 80 JS:*hot_loop /app/a.js:7\n", (unsigned long long)(uintptr_t)code);
	fclose(out);

	s = symbols_new(getpid(), NULL);
	cr_assert(s, "symbols_new: %s", strerror(errno));
	cr_assert_eq(symbols_frame(s, (__u64)(uintptr_t)code + 0x10, true, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "JS:*hot_loop /app/a.js:7");
	cr_expect_str_eq(f.module ? f.module : "(null)", path);
	symbols_frame_clear(&f);
	/* past the entry: nothing names it */
	cr_assert_eq(symbols_frame(s, (__u64)(uintptr_t)code + 0x100, false, &f), 0);
	cr_expect_null(f.function);
	symbols_frame_clear(&f);
	symbols_free(s);
	unlink(path);
	munmap(code, 4096);
}

Test(perfmap, a_symbolic_link_is_not_followed)
{
	char path[64];
	struct perfmap *m;

	snprintf(path, sizeof(path), PERFMAP_PATH_FMT, (int)getpid());
	unlink(path);
	cr_assert_eq(symlink("/etc/passwd", path), 0, "%s", strerror(errno));
	m = perfmap_open(getpid());
	cr_expect_null(m);
	cr_expect_eq(errno, ELOOP, "%s", strerror(errno));
	unlink(path);
	perfmap_free(m);
}

/*
 * A module spans its file's lowest to highest mapping: JIT code in a hole
 * between them (node's code space among node's segments) is in the module
 * for libdwfl, with no symbol there; the perf map names it.
 */
Test(perfmap, symbols_name_jit_code_in_a_hole_of_a_module, .timeout = 30)
{
	char exe[4096], path[64], *maps = NULL, line[8192], *out = NULL;
	unsigned long lo, hi, last = 0, hole;
	size_t outlen = 0;
	FILE *in = fopen("/proc/self/maps", "r"), *mf, *pm;
	struct symbols *s;
	struct stack_frame f;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char rest[4096];

	cr_assert(in && n > 0);
	exe[n] = '\0';
	mf = open_memstream(&out, &outlen);
	cr_assert(mf);
	/* the binary's own lines, then the same file mapped again far above them */
	while (fgets(line, sizeof(line), in)) {
		if (sscanf(line, "%lx-%lx %4095[^\n]", &lo, &hi, rest) != 3 || !strstr(rest, exe))
			continue;
		fputs(line, mf);
		last = hi;
		free(maps);
		maps = strdup(rest); /* the last line's fields, for the line made below */
	}
	fclose(in);
	cr_assert(last && maps, "no mapping of %s", exe);
	fprintf(mf, "%lx-%lx %s\n", last + 0x400000, last + 0x401000, maps);
	fclose(mf);
	free(maps);
	hole = last + 0x200000;

	snprintf(path, sizeof(path), PERFMAP_PATH_FMT, (int)getpid());
	pm = fopen(path, "w");
	cr_assert(pm);
	fprintf(pm, "%lx 100 LazyCompile:~inHole /app/b.js:2\n", hole);
	fclose(pm);

	s = symbols_new(getpid(), out);
	cr_assert(s, "symbols_new: %s", strerror(errno));
	cr_assert_eq(symbols_frame(s, hole + 8, false, &f), 0);
	cr_expect_str_eq(f.function ? f.function : "(null)", "LazyCompile:~inHole /app/b.js:2");
	cr_expect_str_eq(f.module ? f.module : "(null)", path);
	symbols_frame_clear(&f);
	symbols_free(s);
	unlink(path);
	free(out);
}
