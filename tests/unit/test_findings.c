// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The findings (advisor/findings.c) from fixture stacks: which stacks each
 * verdict looks at, where a stack is located, how call sites merge, and the
 * rationale's sentence about the first.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "advisor/decide.h"
#include "stacks_fixture.h"

#define MS(x) ((__u64)((x) * 1000000.0))

/* A profile with one busy thread of cpu_ms on CPU and net_ms in 1-2 ms network waits. */
static void one_thread(struct profile *p, struct process_profile *proc,
		       struct thread_profile *th, double cpu_ms, double net_ms)
{
	memset(p, 0, sizeof(*p));
	memset(proc, 0, sizeof(*proc));
	memset(th, 0, sizeof(*th));
	p->duration_ns = MS(2000);
	p->cpus = 2;
	snprintf(p->runtime, sizeof(p->runtime), "native");
	p->overhead.events = 100000;
	p->conns.tcp_counted = true;
	p->nr_processes = 1;
	p->processes = proc;
	proc->pid = 100;
	proc->nr_threads = 1;
	proc->threads = th;
	th->tid = 100;
	th->cpu_ns = MS(cpu_ms);
	th->blocked_ns[CAUSE_NET] = MS(net_ms);
	p->waits[CAUSE_NET].all.slots[20] = 1000;
	p->waits[CAUSE_NET].ext.slots[20] = 1000;
	p->waits[CAUSE_NET].all.count = 1000;
	p->waits[CAUSE_NET].ext.count = 1000;
}

static void expect_finding(const struct finding *f, int cause, const char *leaf,
			   const char *function, const char *file, __u32 line, double share)
{
	cr_expect_eq(f->cause, cause, "cause %d, want %d", f->cause, cause);
	cr_expect_str_eq(f->leaf, leaf);
	cr_expect_str_eq(f->function, function);
	cr_expect_str_eq(f->file, file);
	cr_expect_eq(f->line, line);
	cr_expect(fabs(f->share - share) < 1e-9, "share %g, want %g", f->share, share);
}

Test(findings, io_bound_names_the_external_io_waits)
{
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	one_thread(&p, &proc, &th, 200, 1800);
	fx_client_stacks(&p.stacks);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert(v.model == MODEL_ASYNC || v.model == MODEL_MULTITHREADING, "model %d", v.model);
	/* the net wait the tree ended itself is not I/O; on-CPU stacks are not either */
	cr_assert_eq(v.nr_findings, 3);
	expect_finding(&v.findings[0], CAUSE_NET, "recv", "fetch_page", "/src/client.c", 88, 0.8);
	cr_expect_eq(v.findings[0].time_ns, MS(720));
	cr_expect_eq(v.findings[0].count, 90);
	cr_expect_eq(v.findings[0].kind, FINDING_IO);
	cr_expect_str_eq(v.findings[0].module, "/usr/bin/client");
	expect_finding(&v.findings[1], CAUSE_NET, "connect", "open_conn", "/src/client.c", 40, 0.2);
	expect_finding(&v.findings[2], CAUSE_DISK, "read", "load_config", "/src/config.c", 12, 1);
	cr_expect_not_null(strstr(v.rationale, " 80% of the external net wait is in recv called "
					       "from fetch_page (client.c:88)."),
			   "%s", v.rationale);
	stacks_free(&p.stacks);
}

Test(findings, cpu_bound_names_the_hottest_stacks)
{
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	one_thread(&p, &proc, &th, 1900, 50);
	fx_client_stacks(&p.stacks);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.model, MODEL_MULTIPROCESSING);
	cr_assert_eq(v.nr_findings, 2);
	expect_finding(&v.findings[0], STACKS_CPU, "parse_html", "parse_html", "/src/parse.c", 230,
		       0.75);
	cr_expect_eq(v.findings[0].kind, FINDING_CPU);
	/* no frame has a file: the innermost named one, past the unsymbolised frame */
	expect_finding(&v.findings[1], STACKS_CPU, "memcpy", "memcpy", "", 0, 0.25);
	cr_expect_str_eq(v.findings[1].module, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_expect_not_null(strstr(v.rationale, " 75% of the time on CPU is in parse_html "
					       "(parse.c:230)."),
			   "%s", v.rationale);
	stacks_free(&p.stacks);
}

/*
 * xz without liblzma's symbols: the CPU time is in liblzma's unnamed code,
 * not in libc's start_thread (which libc6-dbg gives a file and line) that
 * started the thread further out
 */
Test(findings, unnamed_code_in_a_library_is_the_location)
{
	static const struct fx_frame lzma[] = {
		{ NULL, NULL, 0, "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1" },
		{ NULL, NULL, 0, "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1" },
		{ "start_thread", "./nptl/pthread_create.c", 442, "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	};
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	one_thread(&p, &proc, &th, 1900, 50);
	p.stacks.collected = true;
	fx_stack_add(&p.stacks, STACKS_CPU, lzma, 3, MS(1900), 190, false);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.nr_findings, 1);
	cr_expect_str_eq(v.findings[0].function, "");
	cr_expect_str_eq(v.findings[0].module, "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1");
	cr_expect_not_null(strstr(v.rationale, "code without symbols in liblzma.so.5.4.1"), "%s",
			   v.rationale);
	stacks_free(&p.stacks);
}

/*
 * node --perf-basic-prof: the JIT's code, named from its perf map, is the
 * program's own, not the libc frame with a line (libc6-dbg) that started it.
 */
Test(findings, jit_code_is_the_program_s_own)
{
	static const struct fx_frame js[] = {
		{ "JS:*fib /app/fib.js:1:13", NULL, 0, "/tmp/perf-4242.map" },
		{ "JS:*fib /app/fib.js:1:13", NULL, 0, "/tmp/perf-4242.map" },
		{ "Builtins_JSEntry", NULL, 0, "/usr/bin/node" },
		{ "__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58,
		  "/usr/lib/x86_64-linux-gnu/libc.so.6" },
	};
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	one_thread(&p, &proc, &th, 1900, 50);
	p.stacks.collected = true;
	fx_stack_add(&p.stacks, STACKS_CPU, js, FX_NR(js), MS(1900), 190, false);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.nr_findings, 1);
	cr_expect_str_eq(v.findings[0].function, "JS:*fib /app/fib.js:1:13");
	cr_expect_str_eq(v.findings[0].module, "/tmp/perf-4242.map");
	cr_expect_not_null(strstr(v.rationale, "JS:*fib /app/fib.js:1:13"), "%s", v.rationale);
	cr_expect_null(strstr(v.rationale, "libc_start_call_main"), "%s", v.rationale);
	stacks_free(&p.stacks);
}

/*
 * A Go program hashing: its samples fall on many lines of the standard
 * library's assembly, compiled into the binary but the system's source
 * (/usr/lib/go-1.19/src). The time in one function is one finding, located
 * at the program's own caller, and its share is the function's whole.
 */
Test(findings, time_in_one_function_is_one_site_at_the_program_s_caller)
{
	static const char *const go_sha = "/usr/lib/go-1.19/src/crypto/sha256/sha256block_amd64.s";
	const struct fx_frame at800[] = {
		{ "crypto/sha256.block.abi0", go_sha, 800, "/tmp/gosp" },
		{ "crypto/sha256.Sum256", "/usr/lib/go-1.19/src/crypto/sha256/sha256.go", 269,
		  "/tmp/gosp" },
		{ "main.hashLoop", "/tmp/gosp/main.go", 13, "/tmp/gosp" },
	};
	struct fx_frame at807[FX_NR(at800)], at724[FX_NR(at800)];
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	memcpy(at807, at800, sizeof(at800));
	memcpy(at724, at800, sizeof(at800));
	at807[0].line = 807;
	at724[0].line = 724;
	one_thread(&p, &proc, &th, 1900, 50);
	p.stacks.collected = true;
	fx_stack_add(&p.stacks, STACKS_CPU, at800, FX_NR(at800), MS(300), 30, false);
	fx_stack_add(&p.stacks, STACKS_CPU, at807, FX_NR(at807), MS(500), 50, false);
	fx_stack_add(&p.stacks, STACKS_CPU, at724, FX_NR(at724), MS(200), 20, false);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.nr_findings, 1, "%zu findings", v.nr_findings);
	expect_finding(&v.findings[0], STACKS_CPU, "crypto/sha256.block.abi0", "main.hashLoop",
		       "/tmp/gosp/main.go", 13, 1.0);
	cr_expect_eq(v.findings[0].time_ns, MS(1000));
	stacks_free(&p.stacks);

	/* in the program's own code: the lines of one function are one finding, at its busiest */
	static const struct fx_frame own[] = {
		{ "spin", "/src/spin.c", 35, "/usr/bin/spin" },
		{ "main", "/src/spin.c", 50, "/usr/bin/spin" },
	};
	struct fx_frame own36[FX_NR(own)];

	memcpy(own36, own, sizeof(own));
	own36[0].line = 36;
	one_thread(&p, &proc, &th, 1900, 50);
	p.stacks.collected = true;
	fx_stack_add(&p.stacks, STACKS_CPU, own, FX_NR(own), MS(100), 10, false);
	fx_stack_add(&p.stacks, STACKS_CPU, own36, FX_NR(own36), MS(900), 90, false);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.nr_findings, 1, "%zu findings", v.nr_findings);
	expect_finding(&v.findings[0], STACKS_CPU, "spin", "spin", "/src/spin.c", 36, 1.0);
	stacks_free(&p.stacks);
}

/* A stack of addresses in no mapping says nothing: no finding, though its time counts. */
Test(findings, a_stack_that_names_nothing_is_no_finding)
{
	static const struct fx_frame nothing[] = {
		{ NULL, NULL, 0, NULL },
		{ NULL, NULL, 0, NULL },
	};
	static const struct fx_frame parse[] = {
		{ "parse_html", "/src/parse.c", 230, "/usr/bin/client" },
	};
	struct process_profile proc;
	struct thread_profile th;
	struct thresholds t;
	struct profile p;
	struct verdict v;

	one_thread(&p, &proc, &th, 1900, 50);
	p.stacks.collected = true;
	fx_stack_add(&p.stacks, STACKS_CPU, nothing, FX_NR(nothing), MS(1200), 120, false);
	fx_stack_add(&p.stacks, STACKS_CPU, parse, FX_NR(parse), MS(400), 40, false);
	thresholds_default(&t);
	cr_assert_eq(decide_model(&p, &t, &v), 0);
	cr_assert_eq(v.nr_findings, 1);
	expect_finding(&v.findings[0], STACKS_CPU, "parse_html", "parse_html", "/src/parse.c", 230,
		       0.25);
	stacks_free(&p.stacks);
}

/* Stacks that reach one location with one call are one call site, whatever called it. */
Test(findings, stacks_at_one_site_merge)
{
	static const struct fx_frame from_thread[] = {
		{ "recv", NULL, 0, "libc.so.6" },
		{ "fetch_page", "/src/client.c", 88, "/usr/bin/client" },
		{ "worker", "/src/client.c", 60, "client" },
		{ "start_thread", NULL, 0, "libc.so.6" },
	};
	static const struct fx_frame other_line[] = {
		{ "recv", NULL, 0, "libc.so.6" },
		{ "fetch_page", "/src/client.c", 95, "/usr/bin/client" },
	};
	struct profile p = { 0 };
	struct verdict v = { .model = MODEL_ASYNC };

	fx_stack_add(&p.stacks, CAUSE_NET, fx_net_fetch, FX_NR(fx_net_fetch), 300, 3, true);
	fx_stack_add(&p.stacks, CAUSE_NET, other_line, FX_NR(other_line), 400, 4, true);
	fx_stack_add(&p.stacks, CAUSE_NET, from_thread, FX_NR(from_thread), 200, 2, true);
	fx_stack_add(&p.stacks, CAUSE_POLL, from_thread, FX_NR(from_thread), 100, 1, true);
	findings_compute(&p, &v);
	cr_assert_eq(v.nr_findings, 3);
	expect_finding(&v.findings[0], CAUSE_NET, "recv", "fetch_page", "/src/client.c", 88, 5.0 / 9);
	cr_expect_eq(v.findings[0].count, 5);
	expect_finding(&v.findings[1], CAUSE_NET, "recv", "fetch_page", "/src/client.c", 95, 4.0 / 9);
	expect_finding(&v.findings[2], CAUSE_POLL, "recv", "fetch_page", "/src/client.c", 88, 1);
	stacks_free(&p.stacks);
}

Test(findings, inconclusive_locks_names_every_lock_wait)
{
	static const struct fx_frame lock[] = {
		{ "__lll_lock_wait", NULL, 0, "libc.so.6" },
		{ "pthread_mutex_lock", NULL, 0, "libc.so.6" },
		{ "update_cache", "/src/cache.c", 31, "srv" },
	};
	struct profile p = { 0 };
	struct verdict v = { .model = MODEL_INCONCLUSIVE };

	snprintf(v.inconclusive_reason, sizeof(v.inconclusive_reason), "locks");
	fx_stack_add(&p.stacks, CAUSE_LOCK, lock, FX_NR(lock), 900, 9, false);
	fx_stack_add(&p.stacks, CAUSE_NET, fx_net_fetch, FX_NR(fx_net_fetch), 5000, 3, true);
	findings_compute(&p, &v);
	cr_assert_eq(v.nr_findings, 1);
	expect_finding(&v.findings[0], CAUSE_LOCK, "__lll_lock_wait", "update_cache",
		       "/src/cache.c", 31, 1);
	cr_expect_eq(v.findings[0].kind, FINDING_LOCK);

	/* idle or too short: no driver to explain */
	snprintf(v.inconclusive_reason, sizeof(v.inconclusive_reason), "idle");
	findings_compute(&p, &v);
	cr_expect_eq(v.nr_findings, 0);
	stacks_free(&p.stacks);
}

Test(findings, none_without_stacks_and_at_most_five)
{
	struct profile p = { 0 };
	struct verdict v = { .model = MODEL_MULTIPROCESSING };
	struct fx_frame f[1] = { { NULL, "/src/f.c", 0, "m" } };
	char name[16];

	findings_compute(&p, &v);
	cr_expect_eq(v.nr_findings, 0);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		f[0].function = name;
		f[0].line = i + 1;
		fx_stack_add(&p.stacks, STACKS_CPU, f, 1, 100 + i, 1, false);
	}
	findings_compute(&p, &v);
	cr_assert_eq(v.nr_findings, MAX_FINDINGS);
	cr_expect_str_eq(v.findings[0].function, "f7");
	cr_expect_str_eq(v.findings[4].function, "f3");
	stacks_free(&p.stacks);
}
