// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor attach: profile a process tree that is already running. Its
 * threads and the descendants it has are found once in /proc and seeded
 * into the probes in the state /proc shows (blocked in which syscall, on
 * which kind of file); what they create from then on is followed in the
 * kernel. Accounts start at the attach: what happened before is unknown.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../probes/probes.h"
#include "attach.h"
#include "cgroup.h"
#include "session.h"

struct proc_node {
	pid_t pid;
	pid_t ppid;
};

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* /proc/PID/stat: state and ppid come after the comm, which may hold ')' */
static int read_stat(const char *path, char *state, pid_t *ppid, char *comm)
{
	char buf[1024], *open_paren, *close_paren;
	size_t n;

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -ENOENT;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EINVAL;
	if (comm) {
		n = close_paren - open_paren - 1;
		if (n > COMM_LEN - 1)
			n = COMM_LEN - 1;
		memcpy(comm, open_paren + 1, n);
		comm[n] = '\0';
	}
	if (sscanf(close_paren + 1, " %c %d", state, ppid) != 2)
		return -EINVAL;
	return 0;
}

/* Every process on the machine with its parent, once. */
static int scan_procs(struct proc_node **out, size_t *nr)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t cap = 0;

	*out = NULL;
	*nr = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64], state;
		pid_t pid, ppid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (read_stat(path, &state, &ppid, NULL))
			continue;
		if (*nr == cap) {
			size_t ncap = cap ? cap * 2 : 512;
			struct proc_node *n = realloc(*out, ncap * sizeof(**out));

			if (!n) {
				closedir(d);
				return -ENOMEM;
			}
			*out = n;
			cap = ncap;
		}
		(*out)[(*nr)++] = (struct proc_node){ pid, ppid };
	}
	closedir(d);
	return 0;
}

/* The cause of a wait in syscall nr on fd, judged from /proc like the BPF side does. */
static __u32 cause_of(const __u8 *classes, long nr, long fd, pid_t pid)
{
	char path[64], link[256];
	ssize_t n;

	if (nr < 0 || nr >= NOT_IN_SYSCALL)
		return CAUSE_OTHER;
	switch (classes[nr]) {
	case CLASS_NET:
		return CAUSE_NET;
	case CLASS_DISK:
	case CLASS_OPEN:
	case CLASS_CLOSE:
		return CAUSE_DISK;
	case CLASS_POLL:
		return CAUSE_POLL;
	case CLASS_LOCK:
		return CAUSE_LOCK;
	case CLASS_SLEEP:
		return CAUSE_SLEEP;
	case CLASS_CHILD:
		return CAUSE_CHILD;
	case CLASS_IPC:
		return CAUSE_IPC;
	case CLASS_FD:
		break;
	default:
		return CAUSE_OTHER;
	}
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return CAUSE_OTHER;
	link[n] = '\0';
	if (!strncmp(link, "socket:", 7))
		return CAUSE_NET;
	if (link[0] == '/' && strncmp(link, "/dev/", 5))
		return CAUSE_DISK;
	return CAUSE_IPC;
}

static void seed_thread(struct probes *p, const __u8 *classes, pid_t pid, pid_t ppid, pid_t tid,
			__u64 now)
{
	struct probe_seed seed = { .tid = tid, .pid = pid, .ppid = ppid, .ts = now,
				   .sys = NOT_IN_SYSCALL };
	char path[96], buf[256], state;
	pid_t dummy;
	long nr = -1, arg0 = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_stat(path, &state, &dummy, seed.comm))
		return;
	if (probe_read_schedstat(pid, tid, &seed.exec_ns, &seed.delay_ns))
		return;
	switch (state) {
	case 'Z':
	case 'X':
		/*
		 * A leader that left with pthread_exit() while its other threads
		 * run stays a zombie: it had its last switch-out, and an account
		 * seeded for it would never close.
		 */
		return;
	case 'R':
		/* on a CPU or waiting for one: the kernel's counters tell which */
		seed.state = TS_AFTER_PREEMPT;
		break;
	case 'S':
	case 'D':
		seed.state = TS_BLOCKED;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
		if (read_file(path, buf, sizeof(buf)) > 0 && sscanf(buf, "%ld %lx", &nr, &arg0) >= 1 &&
		    nr >= 0 && nr < NOT_IN_SYSCALL) {
			seed.sys = nr;
			seed.cause = cause_of(classes, nr, arg0, pid);
		} else {
			seed.cause = state == 'D' ? CAUSE_DISK : CAUSE_OTHER;
		}
		break;
	default:
		seed.state = TS_BLOCKED;
		seed.cause = CAUSE_OTHER;
	}
	probes_seed(p, &seed);
}

static void seed_proc(struct probes *p, const __u8 *classes, pid_t pid, pid_t ppid, __u64 now)
{
	struct proc_info pi = { .pid = pid, .ppid = ppid };
	char path[64], buf[ARGV0_LEN];
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, pi.exe, sizeof(pi.exe) - 1);
	if (n > 0)
		pi.exe[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if (read_file(path, buf, sizeof(buf)) > 0)
		snprintf(pi.argv0, sizeof(pi.argv0), "%s", buf);
	probes_seed_proc(p, &pi);

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			seed_thread(p, classes, pid, ppid, atoi(de->d_name), now);
	closedir(d);
}

/* The cgroups the connection programs sit on: at most one under another. */
#define MAX_TREE_CGROUPS 16
struct tree_cgroups {
	char paths[MAX_TREE_CGROUPS][512];
	int nr;
};

/* Whether path is one of cgs or under one: a cgroup's programs run for its descendants. */
static bool cgroups_cover(const struct tree_cgroups *cgs, const char *path)
{
	for (int i = 0; i < cgs->nr; i++) {
		size_t n = strlen(cgs->paths[i]);

		if (!strncmp(cgs->paths[i], path, n) && (!path[n] || path[n] == '/'))
			return true;
	}
	return false;
}

static int cmp_len(const void *a, const void *b)
{
	return (int)strlen(a) - (int)strlen(b);
}

/* Puts the connection programs on every cgroup the processes in tree live in. */
static int conns_attach_cgroups(struct probes *p, const pid_t *tree, size_t nr,
				struct tree_cgroups *cgs, char *err, size_t errlen)
{
	struct tree_cgroups found = { .nr = 0 };
	int e;

	for (size_t i = 0; i < nr; i++) {
		char path[512];

		e = cgroup_of_pid(tree[i], path, sizeof(path), err, errlen);
		if (e && kill(tree[i], 0) && errno == ESRCH)
			continue; /* gone */
		if (e)
			return e;
		if (cgroups_cover(cgs, path) || cgroups_cover(&found, path))
			continue;
		if (found.nr == MAX_TREE_CGROUPS) {
			snprintf(err, errlen, "the tree spans more than %d cgroups",
				 MAX_TREE_CGROUPS);
			return -E2BIG;
		}
		snprintf(found.paths[found.nr++], sizeof(found.paths[0]), "%s", path);
	}
	/* ancestors first, so that their descendants are covered */
	if (found.nr > 1)
		qsort(found.paths, found.nr, sizeof(found.paths[0]), cmp_len);
	for (int i = 0; i < found.nr; i++) {
		int fd;

		if (cgroups_cover(cgs, found.paths[i]))
			continue;
		if (cgs->nr == MAX_TREE_CGROUPS) {
			snprintf(err, errlen, "the tree spans more than %d cgroups",
				 MAX_TREE_CGROUPS);
			return -E2BIG;
		}
		fd = open(found.paths[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			e = -errno;
			snprintf(err, errlen, "cannot open cgroup %s: %s", found.paths[i],
				 strerror(-e));
			return e;
		}
		e = probes_conns_attach_cgroup(p, fd, err, errlen);
		close(fd);
		if (e)
			return e;
		memcpy(cgs->paths[cgs->nr++], found.paths[i], sizeof(found.paths[0]));
	}
	return 0;
}

/* The processes of the tree: root and its descendants in procs; caller frees *out. */
static int tree_of(pid_t root, const struct proc_node *procs, size_t nr, pid_t **out,
		   size_t *nr_tree)
{
	pid_t *tree = calloc(nr + 1, sizeof(*tree));

	if (!tree)
		return -ENOMEM;
	tree[0] = root;
	*nr_tree = 1;
	for (size_t i = 0; i < *nr_tree; i++) {
		for (size_t j = 0; j < nr; j++) {
			if (procs[j].ppid != tree[i] || procs[j].pid == root)
				continue;
			if (*nr_tree <= nr)
				tree[(*nr_tree)++] = procs[j].pid;
		}
	}
	*out = tree;
	return 0;
}

/*
 * The tree's connections, once its members are seeded (the probe's load
 * would delay that by its verification). What the processes hold open is
 * read before the programs go on their cgroups and the listening ports
 * after, so no connection is both read here and counted by the programs;
 * one made between the read and the programs is not counted at all.
 */
static int conns_seed(struct probes *p, pid_t root, char *err, size_t errlen)
{
	struct tree_cgroups cgs = { .nr = 0 };
	struct proc_node *procs;
	size_t nr, nr_tree = 0;
	pid_t *tree = NULL;
	int e;

	e = probes_conns_open(p, err, errlen);
	if (e)
		return e;
	e = scan_procs(&procs, &nr);
	if (!e)
		e = tree_of(root, procs, nr, &tree, &nr_tree);
	free(procs);
	for (size_t i = 0; !e && i < nr_tree; i++)
		e = probes_conns_seed(p, tree[i], CONNS_SEED_OPEN);
	if (!e)
		e = conns_attach_cgroups(p, tree, nr_tree, &cgs, err, errlen);
	for (size_t i = 0; !e && i < nr_tree; i++)
		e = probes_conns_seed(p, tree[i], CONNS_SEED_LISTENING);
	if (!e)
		probes_conns_seeded(p, tree, nr_tree);
	else if (!*err)
		snprintf(err, errlen, "cannot read the tree's sockets: %s", strerror(-e));
	if (e)
		probes_conns_drop(p);
	free(tree);
	return e;
}

/*
 * The root and its descendants. Seeding a parent first means a child it
 * forks from then on is followed by the kernel, so a second pass catches
 * those created while the first one ran.
 */
static int seed_tree(struct probes *p, pid_t root, __u64 now)
{
	__u8 classes[MAX_SYSCALLS];
	struct proc_node *procs;
	size_t nr, nr_tree = 0;
	pid_t *tree;
	int e;

	syscall_classes_fill(classes, sizeof(classes));
	for (int pass = 0; pass < 2; pass++) {
		e = scan_procs(&procs, &nr);
		if (e)
			return e;
		e = tree_of(root, procs, nr, &tree, &nr_tree);
		if (e) {
			free(procs);
			return e;
		}
		for (size_t i = 0; i < nr_tree; i++) {
			pid_t ppid = 0;

			for (size_t j = 0; j < nr; j++)
				if (procs[j].pid == tree[i])
					ppid = procs[j].ppid;
			seed_proc(p, classes, tree[i], ppid, now);
		}
		free(tree);
		free(procs);
	}
	return 0;
}

static void read_command(struct profile *prof, pid_t pid)
{
	char path[64], buf[4096];
	char *args[256];
	int n, argc = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_file(path, buf, sizeof(buf));
	for (int i = 0; n > 0 && i < n && argc < 255; i += strlen(buf + i) + 1)
		args[argc++] = buf + i;
	args[argc] = NULL;
	session_fill_host(prof, args, argc);
}

int attach_profile(const struct options *o, struct profile *prof, enum failure *fail)
{
	struct session ss = { .o = o, .prof = prof, .root = o->pid, .is_parent = false };
	char err[600];
	int e;

	if (kill(o->pid, 0)) {
		e = -errno;
		if (e == -ESRCH) {
			fprintf(stderr, "advisor: no process with pid %d\n", (int)o->pid);
			*fail = FAILURE_USAGE;
		} else {
			fprintf(stderr, "advisor: not permitted to trace pid %d: %s\n", (int)o->pid,
				strerror(-e));
			*fail = FAILURE_ENV;
		}
		return e;
	}
	e = session_open(&ss, fail);
	if (!e)
		e = session_check_writable(o, fail);
	if (e)
		goto out;
	read_command(prof, o->pid);
	prof->attached = true;
	prof->target_pid = o->pid;
	prof->start_ns = session_now_ns();
	e = seed_tree(ss.probes, o->pid, prof->start_ns);
	if (e) {
		fprintf(stderr, "advisor: cannot attach to pid %d: %s\n", (int)o->pid, strerror(-e));
		*fail = FAILURE_ENV;
		goto out;
	}
	err[0] = '\0';
	if (conns_seed(ss.probes, o->pid, err, sizeof(err)) && o->verbosity >= 0)
		fprintf(stderr, "advisor: %s; connections are not counted\n", err);
	session_measure(&ss);
	for (size_t i = 0; i < prof->nr_processes; i++) {
		const struct process_profile *proc = &prof->processes[i];

		if (proc->pid == (__u32)o->pid && proc->exited) {
			prof->target_exited = true;
			prof->exit_code = proc->exit_code;
			prof->signal = proc->signal;
		}
	}
	e = 0;
out:
	session_close(&ss);
	return e;
}
