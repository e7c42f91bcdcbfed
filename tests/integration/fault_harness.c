// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "fault_harness.h"

#define PYTHON "/usr/bin/python3"
#define MAX_STARTED 64

/* Every advisor started in this test (each test runs in its own process). */
static pid_t started[MAX_STARTED];
static size_t nr_started;

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *advisor_bin(void)
{
	const char *p = getenv("ADVISOR");

	return p && *p ? p : "./bin/advisor";
}

char *file_read(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			char *nb;

			cap = cap ? cap * 2 : 131072;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	if (!buf)
		buf = malloc(1);
	if (!buf)
		return NULL;
	buf[len] = 0;
	if (lenp)
		*lenp = len;
	return buf;
}

void adv_init(struct adv *a)
{
	memset(a, 0, sizeof(*a));
	dir_make(a->dir, sizeof(a->dir));
	snprintf(a->out_path, sizeof(a->out_path), "%s/stdout", a->dir);
	snprintf(a->err_path, sizeof(a->err_path), "%s/stderr", a->dir);
	a->pid = -1;
}

const char *adv_path(const struct adv *a, const char *name)
{
	static char ring[16][PATH_MAX];
	static unsigned int next;
	char *buf = ring[next++ % 16];

	snprintf(buf, PATH_MAX, "%s/%s", a->dir, name);
	return buf;
}

static void drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY_ID) || setuid(NOBODY_ID))
		_exit(120);
}

void adv_start(struct adv *a, const char *const *args, const struct adv_opts *o)
{
	static const struct adv_opts none;
	const char *argv[160];
	size_t n = 0, len = 0;
	int in[2] = {-1, -1};

	if (!o)
		o = &none;
	for (size_t i = 0; o->wrap && o->wrap[i] && n < 16; i++)
		argv[n++] = o->wrap[i];
	argv[n++] = advisor_bin();
	for (size_t i = 0; args[i] && n < 159; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	a->line[0] = 0;
	for (size_t i = 0; argv[i] && len < sizeof(a->line); i++)
		len +=
		    snprintf(a->line + len, sizeof(a->line) - len, "%s%s", i ? " " : "", argv[i]);
	cr_log_info("advisor: %s%s", a->line, o->as_nobody ? " (as nobody)" : "");
	if (o->stdin_data)
		cr_assert(!pipe(in), "pipe: %s", strerror(errno));

	a->t0 = mono_s();
	a->pid = fork();
	cr_assert(a->pid >= 0, "fork: %s", strerror(errno));
	if (a->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int out = open(a->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(a->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (o->own_pgrp)
			setpgid(0, 0);
		if (null < 0 || out < 0 || err < 0)
			_exit(120);
		if (o->stdin_data) {
			close(in[1]);
			dup2(in[0], 0);
			close(in[0]);
		} else {
			dup2(null, 0);
		}
		dup2(out, 1);
		dup2(err, 2);
		for (size_t i = 0; o->env && o->env[i]; i++)
			putenv((char *)o->env[i]);
		if (o->as_nobody)
			drop_to_nobody();
		if (o->wrap)
			execvp(argv[0], (char *const *)argv);
		else
			execv(argv[0], (char *const *)argv);
		_exit(120);
	}
	if (o->own_pgrp)
		setpgid(a->pid, a->pid); /* also here: no race with a signal sent right after */
	if (nr_started < MAX_STARTED)
		started[nr_started++] = a->pid;
	if (o->stdin_data) {
		size_t left = strlen(o->stdin_data);
		const char *p = o->stdin_data;

		close(in[0]);
		while (left) {
			ssize_t w = write(in[1], p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			left -= w;
		}
		close(in[1]);
	}
}

void adv_read_out(struct adv *a)
{
	free(a->out);
	a->out = file_read(a->out_path, NULL);
	if (!a->out)
		a->out = strdup("");
}

bool adv_wait_out(struct adv *a, const char *text, double timeout_s)
{
	double t0 = mono_s();

	for (;;) {
		siginfo_t info = {0};

		adv_read_out(a);
		if (strstr(a->out, text))
			return true;
		if (mono_s() - t0 > timeout_s)
			return false;
		if (!waitid(P_PID, a->pid, &info, WEXITED | WNOHANG | WNOWAIT) &&
		    info.si_pid == a->pid) {
			adv_read_out(a); /* it may have printed just before the end */
			return strstr(a->out, text) != NULL;
		}
		sleep_ms(10);
	}
}

static void adv_finish(struct adv *a)
{
	a->done = true;
	a->wall_s = mono_s() - a->t0;
	adv_read_out(a);
	free(a->err);
	a->err = file_read(a->err_path, NULL);
	if (!a->err)
		a->err = strdup("");
}

bool adv_poll(struct adv *a)
{
	if (!a->done && waitpid(a->pid, &a->status, WNOHANG) == a->pid)
		adv_finish(a);
	return a->done;
}

void adv_wait(struct adv *a, double timeout_s)
{
	while (!adv_poll(a)) {
		if (mono_s() - a->t0 > timeout_s) {
			kill(a->pid, SIGKILL);
			waitpid(a->pid, &a->status, 0);
			free(a->err);
			a->err = file_read(a->err_path, NULL);
			cr_assert_fail("%s: still running after %.0f s; stderr: %s", a->line,
				       timeout_s, a->err ? a->err : "");
		}
		sleep_ms(5);
	}
}

void adv_exec(struct adv *a, const char *const *args, const struct adv_opts *o, double timeout_s)
{
	adv_init(a);
	adv_start(a, args, o);
	adv_wait(a, timeout_s);
}

void adv_free(struct adv *a)
{
	if (a->pid > 0 && !a->done && waitpid(a->pid, NULL, WNOHANG) == 0) {
		kill(a->pid, SIGKILL);
		waitpid(a->pid, NULL, 0);
	}
	free(a->out);
	free(a->err);
	dir_remove(a->dir);
	memset(a, 0, sizeof(*a));
}

void expect_status(const struct adv *a, int status)
{
	cr_assert(WIFEXITED(a->status) && WEXITSTATUS(a->status) == status,
		  "%s: %s %d, expected exit %d; stderr: %s", a->line,
		  WIFEXITED(a->status) ? "exited" : "killed by signal",
		  WIFEXITED(a->status) ? WEXITSTATUS(a->status) : WTERMSIG(a->status), status,
		  a->err);
}

void expect_one_line(const struct adv *a, const char *needle)
{
	const char *nl = strchr(a->err, '\n');

	cr_expect(!strncmp(a->err, "advisor: ", 9), "%s: stderr does not start 'advisor: ': %s",
		  a->line, a->err);
	cr_expect(nl && nl[1] == 0, "%s: stderr is not exactly one line: %s", a->line, a->err);
	if (needle)
		cr_expect(strstr(a->err, needle), "%s: stderr lacks '%s': %s", a->line, needle,
			  a->err);
	cr_log_info("stderr: %s", a->err);
}

bool schema_check(const char *path, char *why, size_t len)
{
	char script[PATH_MAX + 64], schema[PATH_MAX + 64], out[PATH_MAX];
	char *text;
	int status, fd;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/tests/unit/validate_schema.py", source_root());
	snprintf(schema, sizeof(schema), "%s/reports/schema/report-1.json", source_root());
	snprintf(out, sizeof(out), "%s.validate", path);
	cr_assert(!access(script, R_OK) && !access(schema, R_OK) && !access(PYTHON, X_OK),
		  "cannot validate reports: %s, %s or %s is missing", script, schema, PYTHON);
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(PYTHON, PYTHON, script, schema, path, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	text = file_read(out, NULL);
	snprintf(why, len, "%s", text ? text : "");
	free(text);
	unlink(out);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

json_object *expect_report(const char *path)
{
	struct json_tokener *tok;
	json_object *root;
	char why[2048];
	size_t len;
	char *text = file_read(path, &len);

	cr_assert(text, "no report at %s: %s", path, strerror(errno));
	cr_assert(len > 0, "%s is empty", path);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len);
	cr_assert(root && json_tokener_get_error(tok) == json_tokener_success &&
		      json_tokener_get_parse_end(tok) == len,
		  "%s is not one complete, strict UTF-8 JSON document: %s", path,
		  json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	free(text);
	cr_expect(schema_check(path, why, sizeof(why)),
		  "%s does not validate against the schema: %s", path, why);
	return root;
}

void expect_no_file(const char *path)
{
	cr_expect(access(path, F_OK) != 0, "%s was written, but nothing should have been", path);
}

size_t report_nr_processes(json_object *report)
{
	json_object *procs = jget(report, "processes");

	return procs ? json_object_array_length(procs) : 0;
}

size_t report_nr_threads(json_object *report)
{
	json_object *procs = jget(report, "processes");
	size_t n = 0, np = procs ? json_object_array_length(procs) : 0;

	for (size_t i = 0; i < np; i++) {
		json_object *t = jget(json_object_array_get_idx(procs, i), "threads");

		n += t ? json_object_array_length(t) : 0;
	}
	return n;
}

static const char *truth_line(const struct adv *a, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "truth %s ", key);
	for (p = a->out ? strstr(a->out, pat) : NULL; p; p = strstr(p + 1, pat))
		if (p == a->out || p[-1] == '\n')
			return p + strlen(pat);
	return NULL;
}

bool out_has_truth(const struct adv *a, const char *key)
{
	return truth_line(a, key) != NULL;
}

unsigned long long out_truth(const struct adv *a, const char *key)
{
	const char *p = truth_line(a, key);

	cr_assert(p, "the target printed no \"truth %s\"; its stdout: %s", key, a->out);
	return strtoull(p, NULL, 10);
}

/* --- processes --- */

bool pid_alive(pid_t pid)
{
	char path[64], *text, *rp;
	bool alive = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = file_read(path, NULL);
	if (!text)
		return false;
	rp = strrchr(text, ')');
	alive = rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
	free(text);
	return alive;
}

long proc_status_kib(pid_t pid, const char *field)
{
	char path[64], *text, *p;
	size_t flen = strlen(field);
	long v = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = file_read(path, NULL);
	if (!text)
		return 0;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, field, flen) && p[flen] == ':')
			v = atol(p + flen + 1);
	free(text);
	return v;
}

/* --- the kernel side --- */

enum kind { K_PROG = 1, K_MAP = 2, K_LINK = 3 };

#define KID(kind, id) ((unsigned int)(kind) << 28 | (id))

bool is_advisor_prog(const char *name)
{
	/* every program is named after its hook: on_sched_switch, on_sockops... */
	return !strncmp(name, "on_", 3);
}

bool is_advisor_map(const char *name)
{
	static const char *const maps[] = {"tree",	  "thread_stats",  "proc_infos",
					   "cause_hists", "syscall_waits", "totals",
					   "irq_depths",  "peers",	   "syscall_hists",
					   "tree_socks",  "tree_ports",	   "seeded"};
	static const char *const objects[] = {"sched_bp", "conns_bp", "syscalls"};
	const char *dot = strchr(name, '.');

	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (!strcmp(name, maps[i]))
			return true;
	/* libbpf names global data "<8 chars of the object>.bss" and the like */
	for (size_t i = 0; dot && i < sizeof(objects) / sizeof(objects[0]); i++)
		if ((size_t)(dot - name) == strlen(objects[i]) &&
		    !strncmp(name, objects[i], dot - name))
			return true;
	return false;
}

static const char *bpftool_bin(void)
{
	const char *env = getenv("BPFTOOL");

	if (env && *env)
		return env;
	return access("/usr/sbin/bpftool", X_OK) ? "bpftool" : "/usr/sbin/bpftool";
}

/* `bpftool -j KIND show`, parsed; NULL when bpftool is missing. */
static json_object *bpftool_list(const char *kind)
{
	char cmd[256], *buf = NULL;
	size_t len = 0, cap = 0;
	json_object *root;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s -j %s show 2>/dev/null", bpftool_bin(), kind);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			buf = realloc(buf, cap + 1);
			cr_assert(buf, "out of memory");
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	pclose(f);
	if (!buf)
		return NULL;
	buf[len] = 0;
	root = json_tokener_parse(buf);
	free(buf);
	if (root && !json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

struct bpf_obj {
	unsigned int kid;
	char name[64];
};

/* Advisor's BPF objects that exist now. */
static size_t advisor_objects(struct bpf_obj **out, bool *ok)
{
	json_object *progs = bpftool_list("prog"), *maps = bpftool_list("map");
	json_object *links = bpftool_list("link");
	struct bpf_obj *objs = NULL;
	size_t n = 0, cap = 0;
	unsigned int *prog_ids = NULL;
	size_t nr_prog_ids = 0;

	*ok = progs && maps;
	for (int pass = 0; pass < 3; pass++) {
		json_object *arr = pass == 0 ? progs : pass == 1 ? maps : links;
		size_t len = arr ? json_object_array_length(arr) : 0;

		for (size_t i = 0; i < len; i++) {
			json_object *o = json_object_array_get_idx(arr, i), *v;
			const char *name = "";
			unsigned int id;
			bool mine = false;

			if (!json_object_object_get_ex(o, "id", &v))
				continue;
			id = json_object_get_int64(v);
			if (json_object_object_get_ex(o, "name", &v))
				name = json_object_get_string(v);
			if (pass == 0 && is_advisor_prog(name)) {
				mine = true;
				prog_ids = realloc(prog_ids, (nr_prog_ids + 1) * sizeof(*prog_ids));
				cr_assert(prog_ids, "out of memory");
				prog_ids[nr_prog_ids++] = id;
			} else if (pass == 1) {
				mine = is_advisor_map(name);
			} else if (pass == 2 && json_object_object_get_ex(o, "prog_id", &v)) {
				unsigned int pid = json_object_get_int64(v);

				for (size_t k = 0; k < nr_prog_ids && !mine; k++)
					mine = prog_ids[k] == pid;
				name = "link";
			}
			if (!mine)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				objs = realloc(objs, cap * sizeof(*objs));
				cr_assert(objs, "out of memory");
			}
			objs[n].kid = KID(pass + 1, id);
			snprintf(objs[n].name, sizeof(objs[n].name), "%s %u %s",
				 pass == 0   ? "prog"
				 : pass == 1 ? "map"
					     : "link",
				 id, name);
			n++;
		}
	}
	free(prog_ids);
	if (progs)
		json_object_put(progs);
	if (maps)
		json_object_put(maps);
	if (links)
		json_object_put(links);
	*out = objs;
	return n;
}

/* Every BPF object some live process holds through an fd; calls fn with its kid. */
static void held_objects(pid_t only, void (*fn)(unsigned int kid, void *ctx), void *ctx)
{
	DIR *procs = opendir("/proc");
	struct dirent *pe;

	if (!procs)
		return;
	while ((pe = readdir(procs))) {
		char path[300];
		struct dirent *fe;
		DIR *fds;

		if (!isdigit((unsigned char)pe->d_name[0]))
			continue;
		if (only > 0 && atoi(pe->d_name) != only)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo", pe->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((fe = readdir(fds))) {
			char p[600], buf[1024], *line;
			ssize_t n;
			int fd;

			if (!isdigit((unsigned char)fe->d_name[0]))
				continue;
			snprintf(p, sizeof(p), "%s/%s", path, fe->d_name);
			fd = open(p, O_RDONLY);
			if (fd < 0)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n <= 0)
				continue;
			buf[n] = 0;
			/* a link's fdinfo names its prog too: the link is what is held */
			if ((line = strstr(buf, "link_id:")))
				fn(KID(K_LINK, strtoul(line + 8, NULL, 10)), ctx);
			else if ((line = strstr(buf, "prog_id:")))
				fn(KID(K_PROG, strtoul(line + 8, NULL, 10)), ctx);
			else if ((line = strstr(buf, "map_id:")))
				fn(KID(K_MAP, strtoul(line + 7, NULL, 10)), ctx);
		}
		closedir(fds);
	}
	closedir(procs);
}

struct held {
	unsigned int *kids;
	size_t n, cap;
};

static void held_add(unsigned int kid, void *ctx)
{
	struct held *h = ctx;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->kids = realloc(h->kids, h->cap * sizeof(*h->kids));
		cr_assert(h->kids, "out of memory");
	}
	h->kids[h->n++] = kid;
}

static bool has_kid(const unsigned int *kids, size_t n, unsigned int kid)
{
	for (size_t i = 0; i < n; i++)
		if (kids[i] == kid)
			return true;
	return false;
}

bool pid_holds_advisor_bpf(pid_t pid, char *names, size_t len)
{
	struct held h = {0};
	struct bpf_obj *objs;
	size_t n, used = 0;
	bool ok, any = false;

	held_objects(pid, held_add, &h);
	n = advisor_objects(&objs, &ok);
	if (names && len)
		names[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (!has_kid(h.kids, h.n, objs[i].kid))
			continue;
		any = true;
		if (names && used < len)
			used += snprintf(names + used, len - used, "%s%s", used ? ", " : "",
					 objs[i].name);
	}
	free(objs);
	free(h.kids);
	return any;
}

const char *cgroup2_root(void)
{
	static char root[256];
	static bool done;
	struct mntent *m;
	FILE *f;

	if (done)
		return root;
	done = true;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return root;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", m->mnt_dir);
			break;
		}
	endmntent(f);
	return root;
}

static size_t advisor_cgroups(char (**out)[64])
{
	char(*names)[64] = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = cgroup2_root()[0] ? opendir(cgroup2_root()) : NULL;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "advisor.", 8) || strlen(de->d_name) >= 64)
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		cr_assert(names, "out of memory");
		memcpy(names[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	*out = names;
	return n;
}

void kstate_take(struct kstate *k)
{
	struct bpf_obj *objs;
	bool ok;
	size_t n = advisor_objects(&objs, &ok);

	memset(k, 0, sizeof(*k));
	if (!ok)
		cr_log_warn("bpftool gave no listing: BPF leaks are not checked");
	k->ids = calloc(n + 1, sizeof(*k->ids));
	cr_assert(k->ids, "out of memory");
	for (size_t i = 0; i < n; i++)
		k->ids[k->nr_ids++] = objs[i].kid;
	free(objs);
	k->nr_cgroups = advisor_cgroups(&k->cgroups);
	snprintf(k->cgroup_root, sizeof(k->cgroup_root), "%s", cgroup2_root());
}

void kstate_expect_clean(struct kstate *before)
{
	char leaked[4096];
	double t0 = mono_s();
	size_t nr_leaked;

	for (size_t i = 0; i < nr_started; i++) {
		int status;
		pid_t got = waitpid(started[i], &status, WNOHANG);

		cr_expect(got != 0, "advisor %d is still running at the end of the test",
			  (int)started[i]);
	}
	/* freeing a program or map after its last fd closes can lag a little */
	do {
		struct held h = {0};
		struct bpf_obj *objs;
		bool ok;
		size_t n = advisor_objects(&objs, &ok), used = 0;

		nr_leaked = 0;
		leaked[0] = 0;
		if (n)
			held_objects(0, held_add, &h);
		for (size_t i = 0; i < n; i++) {
			if (has_kid(before->ids, before->nr_ids, objs[i].kid) ||
			    has_kid(h.kids, h.n, objs[i].kid))
				continue;
			nr_leaked++;
			if (used < sizeof(leaked))
				used += snprintf(leaked + used, sizeof(leaked) - used, "%s%s",
						 used ? ", " : "", objs[i].name);
		}
		free(objs);
		free(h.kids);
		if (nr_leaked)
			sleep_ms(100);
	} while (nr_leaked && mono_s() - t0 < 3.0);
	cr_expect(nr_leaked == 0,
		  "%zu BPF objects of advisor's outlive every process (no fd holds them): %s",
		  nr_leaked, leaked);

	if (before->cgroup_root[0]) {
		char(*now)[64];
		size_t n = advisor_cgroups(&now);

		for (size_t i = 0; i < nr_started; i++) {
			char name[64];

			snprintf(name, sizeof(name), "advisor.%d", (int)started[i]);
			for (size_t j = 0; j < n; j++)
				cr_expect(strcmp(now[j], name),
					  "advisor %d left its cgroup %s/%s behind",
					  (int)started[i], before->cgroup_root, name);
		}
		for (size_t j = 0; j < n; j++) {
			bool old = false;
			pid_t owner = atoi(now[j] + 8);

			for (size_t i = 0; i < before->nr_cgroups && !old; i++)
				old = !strcmp(before->cgroups[i], now[j]);
			cr_expect(old || pid_alive(owner),
				  "new cgroup %s/%s outlives its advisor %d", before->cgroup_root,
				  now[j], (int)owner);
		}
		free(now);
	}
	free(before->ids);
	free(before->cgroups);
	memset(before, 0, sizeof(*before));
}
