/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Stacks for the tests of the stacks section, the findings and their
 * writers (test_document.c, test_findings.c, test_stacks_writers.c): a
 * profile's stacks built from short tables of frames.
 */
#ifndef ADVISOR_TESTS_STACKS_FIXTURE_H
#define ADVISOR_TESTS_STACKS_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "probes/profile.h"

/* One frame of a table: NULL function, file or module as the probe leaves them. */
struct fx_frame {
	const char *function, *file;
	__u32 line;
	const char *module;
	bool kernel; /* a kernel frame, as --kernel-stacks gives them */
};

static inline char *fx_dup_or_null(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	cr_assert_not_null(d);
	return d;
}

/*
 * Appends an entry to by_cause[cause] (STACKS_CPU for on-CPU time) with the
 * n frames of f, innermost first; marks the stacks collected.
 */
static inline void fx_stack_add(struct stacks *s, int cause, const struct fx_frame *f, size_t n,
				__u64 time_ns, __u64 count, bool external)
{
	struct stack_list *l = &s->by_cause[cause];
	struct stack_entry *e;

	l->entries = realloc(l->entries, (l->nr + 1) * sizeof(*l->entries));
	cr_assert_not_null(l->entries);
	e = &l->entries[l->nr++];
	memset(e, 0, sizeof(*e));
	e->nr_frames = n;
	e->frames = calloc(n ? n : 1, sizeof(*e->frames));
	cr_assert_not_null(e->frames);
	for (size_t k = 0; k < n; k++) {
		e->frames[k].addr = 0x401000 + 0x10 * k + (__u64)cause * 0x1000;
		e->frames[k].function = fx_dup_or_null(f[k].function);
		e->frames[k].file = fx_dup_or_null(f[k].file);
		e->frames[k].line = f[k].line;
		e->frames[k].module = fx_dup_or_null(f[k].module);
		e->frames[k].kernel = f[k].kernel;
	}
	e->time_ns = time_ns;
	e->count = count;
	e->external = external;
	s->collected = true;
	s->complete++;
}

#define FX_NR(a) (sizeof(a) / sizeof((a)[0]))

/*
 * recv <- fetch_page (client.c:88) <- main: an HTTP client's stacks, with
 * the kernel's frames inside recv (--kernel-stacks).
 */
static const struct fx_frame fx_net_fetch[] = {
	{ "__schedule", NULL, 0, "[kernel]", true },
	{ "tcp_recvmsg", NULL, 0, "[kernel]", true },
	{ "recv", NULL, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	{ "fetch_page", "/src/client.c", 88, "/usr/bin/client" },
	{ "main", "/src/client.c", 120, "/usr/bin/client" },
};
static const struct fx_frame fx_net_connect[] = {
	{ "connect", NULL, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	{ "open_conn", "/src/client.c", 40, "/usr/bin/client" },
	{ "main", "/src/client.c", 118, "/usr/bin/client" },
};
static const struct fx_frame fx_disk_read[] = {
	{ "read", NULL, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	{ "load_config", "/src/config.c", 12, "/usr/bin/client" },
	{ "main", "/src/client.c", 110, "/usr/bin/client" },
};
static const struct fx_frame fx_cpu_parse[] = {
	{ "parse_html", "/src/parse.c", 230, "/usr/bin/client" },
	{ "main", "/src/client.c", 125, "/usr/bin/client" },
};
/* no file anywhere: the innermost named frame is the location */
static const struct fx_frame fx_cpu_libc[] = {
	{ NULL, NULL, 0, NULL },
	{ "memcpy", NULL, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	{ "__libc_start_main", NULL, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
};

/*
 * The client's stacks: net 720 ms external in fetch_page and 180 ms in
 * open_conn, 100 ms of disk, 50 ms of net the tree ended itself; on CPU
 * 300 ms in parse_html and 100 ms in memcpy without debug info.
 */
static inline void fx_client_stacks(struct stacks *s)
{
	fx_stack_add(s, CAUSE_NET, fx_net_fetch, FX_NR(fx_net_fetch), 720000000, 90, true);
	fx_stack_add(s, CAUSE_NET, fx_net_connect, FX_NR(fx_net_connect), 180000000, 10, true);
	fx_stack_add(s, CAUSE_NET, fx_net_fetch, FX_NR(fx_net_fetch), 50000000, 5, false);
	fx_stack_add(s, CAUSE_DISK, fx_disk_read, FX_NR(fx_disk_read), 100000000, 3, true);
	fx_stack_add(s, STACKS_CPU, fx_cpu_parse, FX_NR(fx_cpu_parse), 300000000, 30, false);
	fx_stack_add(s, STACKS_CPU, fx_cpu_libc, FX_NR(fx_cpu_libc), 100000000, 10, false);
	s->by_cause[STACKS_CPU].entries[1].truncated = true;
	s->complete = 5;
	s->truncated = 1;
	s->unsymbolised = 1;
	s->dropped = 2;
}

/* Names no format may pass through as they are: quotes, markup, ';', newlines, bad UTF-8. */
static const struct fx_frame fx_hostile[] = {
	{ "op\"er<ator>;&'x\n\xff\xfe", "/src/we\"ird<dir>/f;le\n.c", 7, "/opt/m\"od<u>le;.so" },
	{ "main", "/src/m a%in.c", 3, "/usr/bin/t" },
};

#endif /* ADVISOR_TESTS_STACKS_FIXTURE_H */
