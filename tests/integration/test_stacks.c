// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --stacks on a workload with known call sites (tests/workloads/callsites.c):
 * a read of a FIFO that a writer outside the tree feeds, and a spinning
 * thread. The call sites are looked for where a user sees them: the JSON
 * report's stacks and findings, the SARIF results, the pprof profile's
 * strings and the folded stacks.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"

/* What one run of the callsites workload left: the run, and its other outputs. */
struct callsites {
	struct run run;
	unsigned int read_line; /* the workload's truth: the line of its read(2) */
	char *sarif, *folded, *pprof; /* the files' bytes (pprof gunzipped) */
	size_t pprof_len;
};

/* The whole of path, gunzipped when it is gzip (zlib reads plain files as they are). */
static char *file_read(const char *path, size_t *len_out)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	gzFile gz = gzopen(path, "rb");
	int n;

	cr_assert(buf && gz, "cannot open %s", path);
	while ((n = gzread(gz, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			buf = realloc(buf, (cap *= 2) + 1);
			cr_assert(buf, "out of memory");
		}
	}
	cr_assert(n == 0, "cannot read %s", path);
	gzclose(gz);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

/* stacks_flag: --stacks, or --kernel-stacks */
static void run_callsites(struct callsites *cs, const char *name, const char *stacks_flag)
{
	char dir[64], fifo[128], sarif[128], pprof[128], folded[128];
	const struct truth *t;
	pid_t writer;

	memset(cs, 0, sizeof(*cs));
	writer = fifo_fed_slowly(dir, sizeof(dir), fifo, sizeof(fifo), "60", "10");
	snprintf(sarif, sizeof(sarif), "%s/r.sarif", dir);
	snprintf(pprof, sizeof(pprof), "%s/r.pb.gz", dir);
	snprintf(folded, sizeof(folded), "%s/r.folded", dir);
	run_advisor(&cs->run, ARGS(stacks_flag, "-o", sarif, "-o", pprof, "-o", folded),
		    ARGS(workload(name), fifo));
	cr_expect(reap(writer, false) == 0, "slow_writer failed");
	cs->sarif = file_read(sarif, NULL);
	cs->pprof = file_read(pprof, &cs->pprof_len);
	cs->folded = file_read(folded, NULL);
	dir_remove(dir);
	t = truth_find(&cs->run, "read_line");
	cr_assert(t && t->nr_values == 1, "callsites printed no read_line");
	cs->read_line = t->values[0];
}

static void callsites_free(struct callsites *cs)
{
	free(cs->sarif);
	free(cs->pprof);
	free(cs->folded);
	run_free(&cs->run);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

static const char *str_or(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) :
		       "";
}

/*
 * Whether a frame of an entry of report.stacks.<list> is function, in
 * callsites.c and, when line is not 0, at line; with external, only the
 * external waits count.
 */
static bool stacks_have(json_object *report, const char *list, const char *function,
			unsigned int line, bool external)
{
	json_object *arr = jget(report, "stacks"), *frames, *ext;

	if (!arr || !json_object_object_get_ex(arr, list, &arr))
		return false;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (external && (!json_object_object_get_ex(e, "external", &ext) ||
				 !json_object_get_boolean(ext)))
			continue;
		if (!json_object_object_get_ex(e, "frames", &frames))
			continue;
		for (size_t k = 0; k < json_object_array_length(frames); k++) {
			json_object *f = json_object_array_get_idx(frames, k), *l;

			if (strcmp(str_or(f, "function"), function) ||
			    !ends_with(str_or(f, "file"), "callsites.c"))
				continue;
			if (!line || (json_object_object_get_ex(f, "line", &l) &&
				      json_object_get_int64(l) == line))
				return true;
		}
	}
	return false;
}

/* The verdict's finding at function in callsites.c, or NULL. */
static json_object *finding_at(json_object *report, const char *function)
{
	json_object *arr = jget(report, "verdict.findings");

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *f = json_object_array_get_idx(arr, i);

		if (!strcmp(str_or(f, "function"), function) &&
		    ends_with(str_or(f, "file"), "callsites.c"))
			return f;
	}
	return NULL;
}

/* Whether a SARIF result is located in callsites.c at line (any line when 0). */
static bool sarif_has(const char *text, unsigned int line)
{
	json_object *log = json_tokener_parse(text), *runs, *results;
	bool found = false;

	if (!log)
		return false;
	if (json_object_object_get_ex(log, "runs", &runs) && json_object_array_length(runs) == 1 &&
	    json_object_object_get_ex(json_object_array_get_idx(runs, 0), "results", &results)) {
		for (size_t i = 0; !found && i < json_object_array_length(results); i++) {
			json_object *r = json_object_array_get_idx(results, i), *locs;

			if (!json_object_object_get_ex(r, "locations", &locs))
				continue;
			for (size_t k = 0; !found && k < json_object_array_length(locs); k++) {
				json_object *loc = json_object_array_get_idx(locs, k);
				json_object *uri = jget(loc, "physicalLocation.artifactLocation.uri");
				json_object *start = jget(loc, "physicalLocation.region.startLine");

				found = uri && start &&
					ends_with(json_object_get_string(uri), "callsites.c") &&
					(!line || json_object_get_int64(start) == line);
			}
		}
	}
	json_object_put(log);
	return found;
}

static bool varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

/*
 * Whether s is in the string table of a pprof Profile message (field 6,
 * profile.proto), walking the top-level fields; false when it is malformed.
 */
static bool pprof_has_string(const char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	uint64_t key, v;

	while (p < end) {
		if (!varint(&p, end, &key))
			return false;
		switch (key & 7) {
		case 0:
			if (!varint(&p, end, &v))
				return false;
			break;
		case 1:
			p += 8;
			break;
		case 5:
			p += 4;
			break;
		case 2:
			if (!varint(&p, end, &v) || v > (uint64_t)(end - p))
				return false;
			if (key >> 3 == 6 && v == strlen(s) && !memcmp(p, s, v))
				return true;
			p += v;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Whether a line of the folded stacks has frame among its ';'-separated frames. */
static bool folded_has(const char *text, const char *frame)
{
	size_t n = strlen(frame);

	for (const char *p = text; (p = strstr(p, frame)); p += n)
		if (p > text && p[-1] == ';' && (p[n] == ';' || p[n] == ' '))
			return true;
	return false;
}

static void check_callsites(const char *name)
{
	char where[96];
	unsigned int sarif_line;
	struct callsites cs;
	json_object *rep, *f;

	harness_require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU: the spinner would starve the reader");
	run_callsites(&cs, name, "--stacks");
	rep = cs.run.report;
	snprintf(where, sizeof(where), "read_fifo_lines (callsites.c:%u)", cs.read_line);
	cr_expect(strstr(jstr(rep, "overhead.mode"), "+stacks"), "overhead.mode %s has no +stacks",
		  jstr(rep, "overhead.mode"));
	cr_log_info("%s: stacks complete %lld truncated %lld unsymbolised %lld dropped %lld; "
		    "rationale: %s",
		    name, jint(rep, "stacks.complete"), jint(rep, "stacks.truncated"),
		    jint(rep, "stacks.unsymbolised"), jint(rep, "stacks.dropped"),
		    jstr(rep, "verdict.rationale"));

	/* the report: the stacks, the finding, the rationale */
	cr_expect(jint(rep, "stacks.complete") > 0, "no complete stack");
	cr_expect(stacks_have(rep, "ipc", "read_fifo_lines", cs.read_line, true),
		  "no external ipc wait at %s in stacks.ipc: %s", where,
		  json_object_to_json_string(jget(rep, "stacks.ipc")));
	cr_expect(stacks_have(rep, "cpu", "spin_until_done", 0, false),
		  "no CPU samples in spin_until_done in stacks.cpu: %s",
		  json_object_to_json_string(jget(rep, "stacks.cpu")));
	/*
	 * The spinner's CPU and the reader's wait are about even, so the verdict
	 * is I/O-bound (async) or CPU-bound from one run to the next: the finding
	 * is the read in read_fifo_lines, or spin_until_done.
	 */
	if (!strcmp(jstr(rep, "verdict.model"), "async") ||
	    !strcmp(jstr(rep, "verdict.model"), "multithreading")) {
		f = finding_at(rep, "read_fifo_lines");
		cr_expect(f && !strcmp(str_or(f, "cause"), "ipc") && jint(f, "line") == cs.read_line,
			  "no ipc finding at %s: %s", where,
			  json_object_to_json_string(jget(rep, "verdict.findings")));
		snprintf(where, sizeof(where), "in read called from read_fifo_lines (callsites.c:%u)",
			 cs.read_line);
		sarif_line = cs.read_line;
	} else {
		f = finding_at(rep, "spin_until_done");
		cr_expect(f && !strcmp(str_or(f, "cause"), "cpu"), "no cpu finding in spin_until_done: %s",
			  json_object_to_json_string(jget(rep, "verdict.findings")));
		snprintf(where, sizeof(where), "in spin_until_done (callsites.c:");
		sarif_line = 0;
	}
	cr_expect(strstr(jstr(rep, "verdict.rationale"), where),
		  "the rationale does not say \"%s\": %s", where, jstr(rep, "verdict.rationale"));

	/* the other writers */
	cr_expect(sarif_has(cs.sarif, sarif_line), "no SARIF result at callsites.c:%u: %s",
		  sarif_line, cs.sarif);
	cr_expect(pprof_has_string(cs.pprof, cs.pprof_len, "read_fifo_lines") &&
			  pprof_has_string(cs.pprof, cs.pprof_len, "spin_until_done"),
		  "the pprof's string table lacks read_fifo_lines or spin_until_done");
	cr_expect(folded_has(cs.folded, "read_fifo_lines") &&
			  folded_has(cs.folded, "spin_until_done"),
		  "the folded stacks lack read_fifo_lines or spin_until_done:\n%s", cs.folded);
	callsites_free(&cs);
}

/* frame pointers: the kernel's walk, plus the DWARF unwind for the libc wrapper's caller */
Test(measure, stacks_name_call_sites_with_frame_pointers, .timeout = 120)
{
	check_callsites("callsites-fp");
}

/* Debian's flags, no frame pointers: only the DWARF unwind of the copied stack finds them */
Test(measure, stacks_name_call_sites_without_frame_pointers, .timeout = 120)
{
	check_callsites("callsites");
}

Test(measure, stacks_off_by_default, .timeout = 120)
{
	struct run r;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("sleeper"), "5", "10"));
	cr_expect(!strstr(jstr(r.report, "overhead.mode"), "stacks"), "overhead.mode %s",
		  jstr(r.report, "overhead.mode"));
	cr_expect(jget(r.report, "stacks") == NULL &&
			  json_object_object_get_ex(r.report, "stacks", NULL),
		  "stacks collected without --stacks: %s",
		  json_object_to_json_string(jget(r.report, "stacks")));
	run_free(&r);
}

/*
 * The kernel frames of an entry of report.stacks.<list> (innermost first,
 * before the user frames): whether some entry has kernel frames that end
 * at user frames, one named function in the kernel part and user_fn in the
 * user part; and how many frames of any entry are marked kernel.
 */
static bool kernel_above_user(json_object *report, const char *list, const char *function,
			      const char *user_fn, size_t *nr_kernel)
{
	json_object *arr = jget(report, "stacks"), *frames, *k;
	bool found = false;

	*nr_kernel = 0;
	if (!arr || !json_object_object_get_ex(arr, list, &arr))
		return false;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		bool in_kernel = true, ordered = true, kfn = false, ufn = false;

		if (!json_object_object_get_ex(json_object_array_get_idx(arr, i), "frames", &frames))
			continue;
		for (size_t j = 0; j < json_object_array_length(frames); j++) {
			json_object *f = json_object_array_get_idx(frames, j);
			bool kernel = json_object_object_get_ex(f, "kernel", &k) &&
				      json_object_get_boolean(k);

			*nr_kernel += kernel;
			if (kernel && !in_kernel)
				ordered = false;
			in_kernel = kernel;
			if (kernel && !strcmp(str_or(f, "function"), function))
				kfn = true;
			if (!kernel && !strcmp(str_or(f, "function"), user_fn))
				ufn = true;
		}
		found |= ordered && kfn && ufn;
	}
	return found;
}

/*
 * --kernel-stacks: the FIFO read's wait has the kernel's frames inside the
 * user ones (the scheduler's, of the syscall's path), named from kallsyms,
 * and the findings still point at the program's code. Without the flag no
 * frame is the kernel's.
 */
Test(measure, kernel_stacks_sit_inside_the_user_stack, .timeout = 120)
{
	struct callsites cs;
	size_t nr_kernel;
	json_object *f;

	harness_require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU: the spinner would starve the reader");
	run_callsites(&cs, "callsites-fp", "--kernel-stacks");
	cr_expect(strstr(jstr(cs.run.report, "overhead.mode"), "+stacks+kernel"),
		  "overhead.mode %s", jstr(cs.run.report, "overhead.mode"));
	cr_expect(kernel_above_user(cs.run.report, "ipc", "schedule", "read_fifo_lines", &nr_kernel),
		  "no ipc stack with schedule in its kernel frames inside read_fifo_lines: %s",
		  json_object_to_json_string(jget(cs.run.report, "stacks.ipc")));
	f = finding_at(cs.run.report, "read_fifo_lines");
	if (!f)
		f = finding_at(cs.run.report, "spin_until_done");
	cr_expect(f, "no finding in callsites.c: %s",
		  json_object_to_json_string(jget(cs.run.report, "verdict.findings")));
	cr_expect(strstr(cs.folded, "schedule_[k]"), "no kernel frame in the folded stacks:\n%s",
		  cs.folded);
	callsites_free(&cs);

	run_callsites(&cs, "callsites-fp", "--stacks");
	kernel_above_user(cs.run.report, "ipc", "schedule", "read_fifo_lines", &nr_kernel);
	cr_expect_eq(nr_kernel, 0, "kernel frames without --kernel-stacks");
	cr_expect(!strstr(cs.folded, "_[k]"), "kernel frames in the folded stacks without the flag");
	callsites_free(&cs);
}

/*
 * A JIT's code (tests/workloads/jit.c: anonymous memory, named in
 * /tmp/perf-PID.map as node --perf-basic-prof names its functions): the CPU
 * samples in it carry the map's name and the map as their module.
 */
Test(measure, stacks_name_jit_code_from_its_perf_map, .timeout = 120)
{
	json_object *cpu, *frames;
	const struct truth *t;
	char path[64];
	bool named = false;
	struct run r;

	harness_require_bpf();
	run_advisor(&r, ARGS("--stacks"), ARGS(workload("jit"), "300"));
	t = truth_find(&r, "pid");
	cr_assert(t && t->nr_values == 1, "jit printed no pid");
	snprintf(path, sizeof(path), "/tmp/perf-%lld.map", (long long)t->values[0]);
	cpu = jget(r.report, "stacks.cpu");
	cr_assert(cpu, "no stacks.cpu");
	for (size_t i = 0; i < json_object_array_length(cpu) && !named; i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(cpu, i), "frames", &frames) ||
		    !json_object_array_length(frames))
			continue;
		/* the innermost frame: where the sample found it */
		json_object *f = json_object_array_get_idx(frames, 0);

		named = !strcmp(str_or(f, "function"), "JIT:spin_loop jit.js:1") &&
			!strcmp(str_or(f, "module"), path);
	}
	unlink(path);
	cr_expect(named, "no CPU sample named from %s: %s", path, json_object_to_json_string(cpu));
	run_free(&r);
}

/*
 * A real JIT: node --perf-basic-prof on CPU in one JavaScript function
 * (tests/workloads/fib.js). The finding names it from node's perf map,
 * wherever V8 put the code (node's code space lies among its own segments).
 */
Test(measure, stacks_name_node_s_javascript_from_its_perf_map, .timeout = 120)
{
	static const char node[] = "/usr/bin/node";
	json_object *f;
	const struct truth *t;
	char script[512], path[64], dir[64], log[128];
	struct run r;

	harness_require_bpf();
	cr_assert(access(node, X_OK) == 0, "%s is needed for this case (Debian: nodejs)", node);
	snprintf(script, sizeof(script), "%s/tests/workloads/fib.js", source_root());
	/* --perf-basic-prof also writes V8's log, by default into the current directory */
	dir_make(dir, sizeof(dir));
	snprintf(log, sizeof(log), "--logfile=%s/v8.log", dir);
	run_advisor(&r, ARGS("--stacks"),
		    ARGS(node, "--perf-basic-prof", "--no-logfile-per-isolate", log, script, "800"));
	dir_remove(dir);
	t = truth_find(&r, "pid");
	cr_assert(t && t->nr_values == 1, "fib.js printed no pid");
	snprintf(path, sizeof(path), "/tmp/perf-%lld.map", (long long)t->values[0]);
	unlink(path);
	cr_assert_str_eq(jstr(r.report, "verdict.model"), "multiprocessing");
	f = jget(r.report, "verdict.findings");
	f = f && json_object_array_length(f) ? json_object_array_get_idx(f, 0) : NULL;
	cr_expect(f && strstr(str_or(f, "function"), "fibonacci") && !strcmp(str_or(f, "module"), path),
		  "the first finding is not fibonacci in %s: %s", path,
		  json_object_to_json_string(jget(r.report, "verdict.findings")));
	cr_expect(strstr(jstr(r.report, "verdict.rationale"), "fibonacci"), "rationale: %s",
		  jstr(r.report, "verdict.rationale"));
	run_free(&r);
}
