// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor run: attach the probes, release the held target, sample the
 * timeline until the whole tree has exited (advisor is its subreaper, so
 * daemonised grandchildren come back to it), then read what was measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../probes/probes.h"
#include "../reports/report.h"
#include "cgroup.h"
#include "cli.h"
#include "run.h"
#include "session.h"
#include "target.h"

/* Fails now, before anything runs, rather than losing a measured run later. */
int run_check_output(const char *path)
{
	bool existed = access(path, F_OK) == 0;
	int fd;

	if (!strcmp(path, "-"))
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	if (!existed)
		unlink(path);
	return 0;
}

int run_check_outputs(const struct options *o, int *fail)
{
	int e;

	for (int i = 0; i < o->nr_outputs; i++) {
		if (report_format_of(o->outputs[i]) == REPORT_UNKNOWN) {
			fprintf(stderr,
				"advisor: %s: unknown report format (use .json, .html, .xml, .md or -)\n",
				o->outputs[i]);
			*fail = EXIT_USAGE;
			return -EINVAL;
		}
		e = run_check_output(o->outputs[i]);
		if (e) {
			fprintf(stderr, "advisor: cannot write %s: %s\n", o->outputs[i], strerror(-e));
			*fail = EXIT_OUTPUT;
			return e;
		}
	}
	return 0;
}

int run_check_env(char *err, size_t errlen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen,
			 "kernel has no BTF (/sys/kernel/btf/vmlinux): needs CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	return 0;
}

void run_probes_error(int e, const char *err)
{
	if ((e == -EPERM || e == -EACCES) && geteuid() != 0)
		fprintf(stderr,
			"advisor: %s: run as root, or with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN\n",
			err);
	else if (e == -EACCES)
		fprintf(stderr, "advisor: %s: the kernel's verifier refused it (-v shows its log)\n",
			err);
	else
		fprintf(stderr, "advisor: %s\n", err);
}

int run_profile(const struct options *o, struct profile *prof, int *fail)
{
	struct session rs = { .o = o, .prof = prof, .is_parent = true };
	struct target target = { .hold_fd = -1, .err_fd = -1 };
	struct probes_opts po = { .syscalls = o->syscalls, .cgroup_fd = -1,
				  .verbose = o->verbosity > 0 };
	char err[512], cg_err[512] = "", path[4096];
	sigset_t mask, old;
	enum session_end end;
	int e;

	memset(prof, 0, sizeof(*prof));
	prof->exit_code = -1;
	rs.cg.fd = -1;

	e = run_check_outputs(o, fail);
	if (e)
		return e;
	e = target_resolve(o->argv[0], path, sizeof(path));
	if (e) {
		fprintf(stderr, "advisor: %s: %s\n", o->argv[0],
			e == -ENOENT ? "command not found" :
			e == -EISDIR ? "is a directory" : "not executable");
		*fail = e == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		return e;
	}
	e = run_check_env(err, sizeof(err));
	if (e) {
		fprintf(stderr, "advisor: %s\n", err);
		*fail = EXIT_ENV;
		return e;
	}

	/* said only once the probes load: without BPF rights, that is the one line */
	if (cgroup_create(&rs.cg, cg_err, sizeof(cg_err)))
		rs.cg.fd = -1;
	else
		po.cgroup_fd = rs.cg.fd;
	e = probes_open(&rs.probes, &po, err, sizeof(err));
	if (e) {
		run_probes_error(e, err);
		*fail = EXIT_ENV;
		goto out_cgroup;
	}
	if (po.cgroup_fd < 0 && o->verbosity >= 0)
		fprintf(stderr, "advisor: %s; connections are not counted\n", cg_err);
	if (po.cgroup_fd >= 0)
		prof->conns.tcp_counted = true;

	/* daemonised grandchildren are re-parented to advisor, so it sees them end */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);

	session_fill_host(prof, o->argv, o->argc);
	prof->bucket_ns = BUCKET_NS;
	e = target_spawn(&target, o->argv, &old);
	if (e) {
		fprintf(stderr, "advisor: cannot start %s: %s\n", o->argv[0], strerror(-e));
		*fail = EXIT_ENV;
		goto out_probes;
	}
	prof->target_pid = target.pid;
	rs.root = target.pid;
	if (rs.cg.fd >= 0 && cgroup_enter(&rs.cg, target.pid) && o->verbosity >= 0)
		fprintf(stderr, "advisor: cannot move the target into %s; connections are not counted\n",
			rs.cg.path);
	prof->start_ns = session_now_ns();
	e = probes_seed_root(rs.probes, target.pid, prof->start_ns);
	if (e) {
		fprintf(stderr, "advisor: cannot mark the target as traced: %s\n", strerror(-e));
		target_abort(&target);
		*fail = EXIT_ENV;
		goto out_probes;
	}
	e = target_release(&target);
	if (e) {
		/* exec failed after the checks: the child exits 126/127 itself */
		fprintf(stderr, "advisor: cannot run %s: %s\n", o->argv[0], strerror(-e));
		waitpid(target.pid, NULL, 0);
		*fail = e == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		goto out_probes;
	}

	end = session_loop(&rs, &mask);
	e = session_collect(&rs);
	if (e)
		fprintf(stderr, "advisor: cannot read the probes: %s\n", strerror(-e));
	if (end == SESSION_DURATION) {
		prof->stopped_at_duration = true;
		session_stop_tree(&rs);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	e = 0;

out_probes:
	probes_destroy(rs.probes);
out_cgroup:
	cgroup_remove(&rs.cg);
	return e;
}
