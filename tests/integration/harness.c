// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/bpf.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "harness.h"

#define RUN_TIMEOUT_S 100.0
#define PYTHON "/usr/bin/python3"

/*
 * The suite runs as from a terminal, whatever started it: a script's
 * background job (`make test &`, nohup) starts with SIGINT and SIGQUIT
 * ignored, advisor's targets would inherit that, and the Ctrl-C tests would
 * read a target that outlived its SIGINT. Before Criterion forks its tests.
 */
__attribute__((constructor)) static void signals_as_from_a_terminal(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sleep_ms(long ms)
{
	struct timespec req = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&req, &req) && errno == EINTR)
		;
}

static const char *advisor_path(void)
{
	const char *p = getenv("ADVISOR");

	return p && *p ? p : "./bin/advisor";
}

static const char *workloads_dir(void)
{
	const char *p = getenv("WORKLOADS");

	return p && *p ? p : ".output/workloads";
}

const char *workload(const char *name)
{
	static char ring[32][PATH_MAX];
	static unsigned int next;
	char *buf = ring[next++ % 32];

	snprintf(buf, PATH_MAX, "%s/%s", workloads_dir(), name);
	return buf;
}

/* The source tree: the first of the binary's directory and its parents that
 * holds tests/workloads, else the working directory (make runs from the top). */
const char *source_root(void)
{
	static char root[PATH_MAX];
	char real[PATH_MAX], probe[PATH_MAX + 32];

	if (root[0])
		return root;
	snprintf(root, sizeof(root), ".");
	if (!realpath(advisor_path(), real))
		return root;
	for (int up = 0; up < 4; up++) {
		char *dir = dirname(real);

		snprintf(probe, sizeof(probe), "%s/tests/workloads", dir);
		if (!access(probe, F_OK)) {
			snprintf(root, sizeof(root), "%s", dir);
			break;
		}
		memmove(real, dir, strlen(dir) + 1);
	}
	return root;
}

/* Whether this process may create a BPF map at all (root in a container
 * without CAP_BPF may not). */
static int bpf_probe(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void harness_require_bpf(void)
{
	const char *ci = getenv("CI");
	char why[256] = "";
	int err;

	cr_assert(access(advisor_path(), X_OK) == 0, "%s: not built (run make test-integration)",
		  advisor_path());
	cr_assert(access(workload("spin"), X_OK) == 0, "%s: workloads not built",
		  workloads_dir());
	if (geteuid() != 0)
		snprintf(why, sizeof(why), "not root: the probes need CAP_BPF and CAP_PERFMON");
	else if (access("/sys/kernel/btf/vmlinux", R_OK))
		snprintf(why, sizeof(why), "no kernel BTF at /sys/kernel/btf/vmlinux");
	else if ((err = bpf_probe()))
		snprintf(why, sizeof(why), "BPF unavailable: %s", strerror(-err));
	if (!why[0])
		return;
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("integration tests cannot run under CI: %s", why);
	cr_skip_test("%s", why);
}

void dir_make(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/advisor-it.XXXXXX");
	cr_assert(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
	/* the target may run as SUDO_UID: let it reach FIFOs made here */
	chmod(buf, 0755);
}

pid_t fifo_fed_slowly(char *dir, size_t dirlen, char *fifo, size_t fifolen, const char *count,
		      const char *gap_ms)
{
	pid_t writer;

	dir_make(dir, dirlen);
	snprintf(fifo, fifolen, "%s/fifo", dir);
	cr_assert(!mkfifo(fifo, 0666) && !chmod(fifo, 0666), "mkfifo %s", fifo);
	writer = spawn(ARGS(workload("slow_writer"), fifo, count, gap_ms), -1);
	sleep_ms(50);
	return writer;
}

void dir_remove(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (!dir[0])
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* a folder a workload made inside (disk_io's own, left when it is killed) */
		if (unlink(path) && errno == EISDIR)
			dir_remove(path);
	}
	closedir(d);
	rmdir(dir);
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return strdup("");
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			cr_assert(buf, "out of memory");
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = 0;
	return buf;
}

static void truths_parse(struct run *r)
{
	size_t cap = 0;

	for (char *line = r->out; line && *line;) {
		char *end = strchr(line, '\n');
		struct truth t;
		char *p;
		int used = 0;

		if (end)
			*end = 0;
		memset(&t, 0, sizeof(t));
		if (sscanf(line, "truth %31s %n", t.key, &used) == 1 && used > 0) {
			p = line + used;
			while (*p && t.nr_values < TRUTH_MAX_VALUES) {
				char *next;
				unsigned long long v = strtoull(p, &next, 10);

				if (next == p)
					break;
				t.values[t.nr_values++] = v;
				p = next;
			}
			if (r->nr_truths == cap) {
				cap = cap ? cap * 2 : 64;
				r->truths = realloc(r->truths, cap * sizeof(*r->truths));
				cr_assert(r->truths, "out of memory");
			}
			r->truths[r->nr_truths++] = t;
		}
		if (end)
			*end = '\n';
		line = end ? end + 1 : NULL;
	}
}

static void cmdline(char *buf, size_t size, const char *const *argv)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; argv[i] && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "", argv[i]);
}

/* Validates the report with the project's schema checker, when it exists. */
static void check_schema(const struct run *r)
{
	static bool warned;
	char script[PATH_MAX + 64], schema[PATH_MAX + 64], out[PATH_MAX];
	int status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/tests/unit/validate_schema.py", source_root());
	snprintf(schema, sizeof(schema), "%s/reports/schema/report-1.json", source_root());
	snprintf(out, sizeof(out), "%s/schema.txt", r->dir);
	if (access(script, R_OK) || access(schema, R_OK) || access(PYTHON, X_OK)) {
		if (!warned)
			cr_log_warn("schema check skipped: %s or %s is missing", script, schema);
		warned = true;
		return;
	}
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(PYTHON, PYTHON, script, schema, r->report_path, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char *text = slurp(out);

		cr_expect_fail("report does not validate against %s: %s", schema, text);
		free(text);
	}
}

/*
 * The machine's time so far, in ns, that the kernel leaves out of a thread's
 * schedstat cpu but that advisor books to the thread's episode: hypervisor
 * steal, and hardirq and softirq handlers (the "irq", "softirq" and "steal"
 * columns of /proc/stat's cpu line, summed over every CPU).
 */
static double steal_now_ns(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n = 0;

	if (f) {
		n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7]);
		fclose(f);
	}
	return n == 8 ? (v[5] + v[6] + v[7]) * (1e9 / sysconf(_SC_CLK_TCK)) : 0;
}

void run_advisor_status(struct run *r, const char *const *opts, const char *const *cmd,
			int expect_exit)
{
	const char *argv[128];
	char out_path[PATH_MAX], err_path[PATH_MAX], line[2048];
	size_t n = 0;
	double t0, t1;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	dir_make(r->dir, sizeof(r->dir));
	snprintf(r->report_path, sizeof(r->report_path), "%s/report.json", r->dir);
	snprintf(out_path, sizeof(out_path), "%s/stdout", r->dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", r->dir);

	argv[n++] = advisor_path();
	argv[n++] = "run";
	argv[n++] = "-q";
	argv[n++] = "-o";
	argv[n++] = r->report_path;
	for (size_t i = 0; opts && opts[i] && n < 100; i++)
		argv[n++] = opts[i];
	argv[n++] = "--";
	for (size_t i = 0; cmd[i] && n < 127; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	cmdline(line, sizeof(line), argv);
	cr_log_info("run: %s", line);

	t0 = now_s();
	r->steal_ns = -steal_now_ns();
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (;;) {
		pid_t got = waitpid(pid, &r->status, WNOHANG);

		if (got == pid)
			break;
		if (now_s() - t0 > RUN_TIMEOUT_S) {
			kill(pid, SIGKILL);
			waitpid(pid, &r->status, 0);
			r->err = slurp(err_path);
			cr_assert_fail("%s: still running after %.0f s; stderr: %s", line,
				       RUN_TIMEOUT_S, r->err);
		}
		sleep_ms(5);
	}
	t1 = now_s();
	r->steal_ns += steal_now_ns();
	r->wall_s = t1 - t0;
	r->out = slurp(out_path);
	r->err = slurp(err_path);
	truths_parse(r);
	cr_assert(WIFEXITED(r->status) && WEXITSTATUS(r->status) == expect_exit,
		  "%s: exited with %s %d (expected exit %d); stderr: %s", line,
		  WIFEXITED(r->status) ? "status" : "signal",
		  WIFEXITED(r->status) ? WEXITSTATUS(r->status) : WTERMSIG(r->status),
		  expect_exit, r->err);
	r->report = json_object_from_file(r->report_path);
	cr_assert(r->report, "%s: no readable JSON report at %s (%s); stderr: %s", line,
		  r->report_path, json_util_get_last_err(), r->err);
	check_schema(r);
}

void run_free(struct run *r)
{
	if (r->report)
		json_object_put(r->report);
	free(r->out);
	free(r->err);
	free(r->truths);
	dir_remove(r->dir);
	memset(r, 0, sizeof(*r));
}

const struct truth *truth_nth(const struct run *r, const char *key, size_t n)
{
	for (size_t i = 0; i < r->nr_truths; i++)
		if (!strcmp(r->truths[i].key, key) && n-- == 0)
			return &r->truths[i];
	return NULL;
}

const struct truth *truth_find(const struct run *r, const char *key)
{
	return truth_nth(r, key, 0);
}

size_t truth_count(const struct run *r, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr_truths; i++)
		n += !strcmp(r->truths[i].key, key);
	return n;
}

unsigned long long truth_need(const struct run *r, const char *key)
{
	const struct truth *t = truth_find(r, key);

	cr_assert(t && t->nr_values > 0, "the workload printed no \"truth %s\"; its stdout: %s",
		  key, r->out);
	return t->values[0];
}

/* Whether path exists; *out is NULL for a JSON null. */
static bool jlookup(json_object *o, const char *path, json_object **out)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save))
		if (!o || !json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, key, &o))
			return false;
	*out = o;
	return true;
}

json_object *jget(json_object *o, const char *path)
{
	json_object *v;

	return jlookup(o, path, &v) ? v : NULL;
}

long long jint(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	cr_assert(v && (json_object_is_type(v, json_type_int) ||
			json_object_is_type(v, json_type_double)),
		  "report: no number at %s", path);
	return json_object_get_int64(v);
}

double jnum(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	cr_assert(v && (json_object_is_type(v, json_type_int) ||
			json_object_is_type(v, json_type_double)),
		  "report: no number at %s", path);
	return json_object_get_double(v);
}

const char *jstr(json_object *o, const char *path)
{
	json_object *v;

	cr_assert(jlookup(o, path, &v), "report: no %s", path);
	if (!v || json_object_is_type(v, json_type_null))
		return "";
	return json_object_get_string(v);
}

bool jbool(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	cr_assert(v && json_object_is_type(v, json_type_boolean), "report: no boolean at %s",
		  path);
	return json_object_get_boolean(v);
}

json_object *report_thread(const struct run *r, long tid, json_object **proc)
{
	json_object *procs = jget(r->report, "processes");
	size_t np = procs ? json_object_array_length(procs) : 0;

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(procs, i);
		json_object *threads = jget(p, "threads");
		size_t nt = threads ? json_object_array_length(threads) : 0;

		for (size_t j = 0; j < nt; j++) {
			json_object *t = json_object_array_get_idx(threads, j);
			json_object *v = jget(t, "tid");

			if (v && json_object_get_int64(v) == tid) {
				if (proc)
					*proc = p;
				return t;
			}
		}
	}
	return NULL;
}

json_object *report_process(const struct run *r, long pid)
{
	json_object *procs = jget(r->report, "processes");
	size_t np = procs ? json_object_array_length(procs) : 0;

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(procs, i);
		json_object *v = jget(p, "pid");

		if (v && json_object_get_int64(v) == pid)
			return p;
	}
	return NULL;
}

json_object *report_process_by_comm(const struct run *r, const char *comm)
{
	json_object *procs = jget(r->report, "processes");
	size_t np = procs ? json_object_array_length(procs) : 0;

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(procs, i);
		json_object *v = jget(p, "comm");

		if (v && !strcmp(json_object_get_string(v), comm))
			return p;
	}
	return NULL;
}

long long syscall_sum(json_object *arr, const char *name, const char *field)
{
	size_t n = arr ? json_object_array_length(arr) : 0;
	long long sum = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		json_object *v = jget(e, "name");

		if (v && !strcmp(json_object_get_string(v), name))
			sum += jint(e, field);
	}
	return sum;
}

static const char *const causes[] = { "net", "disk", "poll", "lock", "sleep", "child", "ipc",
				      "other" };

long long blocked_sum(json_object *obj, const char *which)
{
	long long sum = 0;
	char path[64];

	for (size_t c = 0; c < sizeof(causes) / sizeof(causes[0]); c++) {
		snprintf(path, sizeof(path), "%s.%s", which, causes[c]);
		sum += jint(obj, path);
	}
	return sum;
}

long long process_cause(json_object *proc, const char *which, const char *cause)
{
	json_object *threads = jget(proc, "threads");
	size_t nt = threads ? json_object_array_length(threads) : 0;
	long long sum = 0;
	char path[64];

	snprintf(path, sizeof(path), "%s.%s", which, cause);
	for (size_t j = 0; j < nt; j++)
		sum += jint(json_object_array_get_idx(threads, j), path);
	return sum;
}

bool within(double measured, double truth, double rel, double abs_slack)
{
	return fabs(measured - truth) <= fmax(abs_slack, rel * fabs(truth));
}

static double pct(double measured, double truth)
{
	return truth ? 100.0 * (measured - truth) / truth : 0;
}

static double slack(double v)
{
	return fmax(2e6, 0.01 * v);
}

/*
 * One figure of a thread: exact, or bounded when lo < hi. extra is what the
 * figure may hold beyond schedstat's by definition, measured: the thread's
 * life after it read its schedstat (thread_tail_ns()), and for runq the
 * machine's steal and interrupt time, so a loaded host widens the bound by
 * what it did and by nothing else.
 */
static void check_figure(long tid, const char *what, double measured, double lo, double hi,
			 double extra)
{
	if (lo == hi) {
		cr_log_info("thread %ld: %s %.3f ms vs schedstat %.3f ms (%+.2f%%; allowed above %.3f ms)",
			    tid, what, measured / 1e6, hi / 1e6, pct(measured, hi), extra / 1e6);
		cr_expect(measured >= hi - slack(hi) && measured <= hi + slack(hi) + extra,
			  "thread %ld %s %.0f ns vs schedstat %.0f (%+.2f%%, %+.3f ms; "
			  "allowed 1%% or 2 ms, plus %.3f ms of tail, steal and irq above)",
			  tid, what, measured, hi, pct(measured, hi), (measured - hi) / 1e6,
			  extra / 1e6);
		return;
	}
	cr_log_info("thread %ld (main): %s %.3f ms vs schedstat %.3f ms since main(), "
		    "%.3f ms in all",
		    tid, what, measured / 1e6, lo / 1e6, hi / 1e6);
	cr_expect(measured >= lo - slack(lo) && measured <= hi + slack(hi) + extra,
		  "thread %ld (main) %s %.0f ns outside schedstat's [%.0f since main(), %.0f in "
		  "all] (+- 1%% or 2 ms, plus %.3f ms of tail, steal and irq above)",
		  tid, what, measured, lo, hi, extra / 1e6);
}

/*
 * How long a thread lived after it read its schedstat for the truth: its
 * lifetime in the report less its age then ("age TID NS"), or 0 when the
 * workload did not say or the thread did not end. A bound of what advisor
 * may count beyond the truth (the exit path; a preemption in it under load).
 */
static double thread_tail_ns(const struct run *r, json_object *th, long tid)
{
	long long start = jint(th, "start_ns"), end = jint(th, "end_ns");

	/*
	 * A thread whose last switch-out came after the final sweep is not
	 * closed (end_ns 0: the reaping race in the README's Known limits): it
	 * lived at most to the end of the run.
	 */
	if (!end)
		end = jint(r->report, "duration_ns");
	for (size_t i = 0; i < truth_count(r, "age"); i++) {
		const struct truth *t = truth_nth(r, "age", i);

		if (t->nr_values == 2 && (long)t->values[0] == tid && end > start)
			return (double)(end - start) > t->values[1] ?
				       (double)(end - start) - t->values[1] :
				       0;
	}
	return 0;
}

void check_thread_truths(const struct run *r)
{
	size_t n = truth_count(r, "thread");

	cr_expect(n > 0, "the workload printed no thread truth");
	for (size_t i = 0; i < n; i++) {
		const struct truth *t = truth_nth(r, "thread", i);
		long tid = t->values[0];
		double cpu = t->values[1], runq = t->values[2], cpu0 = 0, runq0 = 0, tail;
		json_object *th = report_thread(r, tid, NULL);

		cr_expect(t->nr_values == 3 || t->nr_values == 5, "malformed thread truth");
		cr_expect(th != NULL, "thread %ld is not in the report", tid);
		if (!th)
			continue;
		if (t->nr_values == 5) {
			cpu0 = t->values[3];
			runq0 = t->values[4];
		}
		tail = thread_tail_ns(r, th, tid);
		check_figure(tid, "cpu_ns", jint(th, "cpu_ns"), cpu - cpu0, cpu, tail);
		check_figure(tid, "runq_ns", jint(th, "runq_ns"), runq - runq0, runq,
			     r->steal_ns + tail);
	}
}

void check_lifetimes(const struct run *r)
{
	json_object *procs = jget(r->report, "processes");
	size_t np = procs ? json_object_array_length(procs) : 0, checked = 0;

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(procs, i);
		json_object *threads = jget(p, "threads");
		size_t nt = threads ? json_object_array_length(threads) : 0;

		for (size_t j = 0; j < nt; j++) {
			json_object *t = json_object_array_get_idx(threads, j);
			long long start = jint(t, "start_ns"), end = jint(t, "end_ns");
			long long cpu = jint(t, "cpu_ns"), runq = jint(t, "runq_ns");
			long long wake = jint(t, "runq_wakeup_ns"), pre = jint(t, "runq_preempt_ns");
			long long blocked = blocked_sum(t, "blocked_ns");
			long long life = end - start, sum = cpu + runq + blocked;

			cr_expect(runq == wake + pre,
				  "thread %lld: runq_ns %lld != runq_wakeup_ns %lld + "
				  "runq_preempt_ns %lld",
				  jint(t, "tid"), runq, wake, pre);
			cr_expect(blocked_sum(t, "internal_ns") <= blocked,
				  "thread %lld: internal_ns exceeds blocked_ns", jint(t, "tid"));
			if (!end || life < 50000000)
				continue;
			checked++;
			cr_log_info("thread %lld (%s): cpu+runq+blocked %.3f ms, lifetime %.3f ms "
				    "(%+.2f%%)",
				    jint(t, "tid"), jstr(t, "comm"), sum / 1e6, life / 1e6,
				    pct(sum, life));
			cr_expect(within(sum, life, 0.01, 0),
				  "thread %lld (%s): cpu %lld + runq %lld + blocked %lld = %lld ns, "
				  "lifetime end-start %lld ns (%+.2f%%; allowed 1%%)",
				  jint(t, "tid"), jstr(t, "comm"), cpu, runq, blocked, sum, life,
				  pct(sum, life));
		}
	}
	cr_expect(checked > 0, "no exited thread lived 50 ms or more");
}

pid_t spawn(const char *const *argv, int pass_fd)
{
	pid_t pid = fork();

	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(null, 1);
		if (pass_fd >= 0 && pass_fd != 3) {
			dup2(pass_fd, 3);
			close(pass_fd);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int reap(pid_t pid, bool kill_first)
{
	int status = 0;

	if (pid <= 0)
		return 0;
	if (kill_first)
		kill(pid, SIGTERM);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

int listen_loopback(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(!bind(fd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(fd, 1024) &&
			  !getsockname(fd, (struct sockaddr *)&sa, &len),
		  "listen on 127.0.0.1: %s", strerror(errno));
	*port = ntohs(sa.sin_port);
	return fd;
}

int free_port(void)
{
	int port, fd = listen_loopback(&port);

	close(fd);
	return port;
}
