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
#include "cgroup.h"
#include "cli.h"
#include "run.h"
#include "session.h"
#include "target.h"

int run_profile(const struct options *o, struct profile *prof, enum failure *fail)
{
	struct session rs = { .o = o, .prof = prof, .is_parent = true };
	struct target target = { .hold_fd = -1, .err_fd = -1 };
	char path[4096];
	int e;

	for (int i = 0; i < o->nr_outputs; i++)
		target.stdout_to_stderr |= !strcmp(o->outputs[i], "-");
	e = session_open(&rs, fail);
	if (e)
		goto out;
	/* after the probes load: without BPF rights, that is the one line (exit 124) */
	e = target_resolve(o->argv[0], path, sizeof(path));
	if (e) {
		fprintf(stderr, "advisor: %s: %s\n", o->argv[0],
			e == -ENOENT ? "command not found" :
			e == -EISDIR ? "is a directory" : "not executable");
		*fail = e == -ENOENT ? FAILURE_NOTFOUND : FAILURE_NOEXEC;
		goto out;
	}
	e = session_check_writable(o, fail);
	if (e)
		goto out;

	/* daemonised grandchildren are re-parented to advisor, so it sees them end */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	session_fill_host(prof, o->argv, o->argc);
	e = target_spawn(&target, o->argv, &rs.old_mask);
	if (e) {
		fprintf(stderr, "advisor: cannot start %s: %s\n", o->argv[0], strerror(-e));
		*fail = FAILURE_ENV;
		goto out_subreaper;
	}
	prof->target_pid = target.pid;
	rs.root = target.pid;
	if (rs.cg.fd >= 0 && cgroup_enter(&rs.cg, target.pid)) {
		/* the probe would count nothing, and say it counted */
		probes_conns_drop(rs.probes);
		prof->conns.tcp_counted = false;
		if (o->verbosity >= 0)
			fprintf(stderr,
				"advisor: cannot move the target into %s; connections are not counted\n",
				rs.cg.path);
	}
	prof->start_ns = session_now_ns();
	e = probes_seed_root(rs.probes, target.pid, prof->start_ns);
	if (e) {
		fprintf(stderr, "advisor: cannot mark the target as traced: %s\n", strerror(-e));
		target_abort(&target);
		*fail = FAILURE_ENV;
		goto out_subreaper;
	}
	e = target_release(&target);
	if (e) {
		/* exec failed after the checks: the child exits 126/127 itself */
		fprintf(stderr, "advisor: cannot run %s: %s\n", o->argv[0], strerror(-e));
		waitpid(target.pid, NULL, 0);
		*fail = e == -ENOENT ? FAILURE_NOTFOUND : FAILURE_NOEXEC;
		goto out_subreaper;
	}
	if (session_measure(&rs) == SESSION_DURATION)
		session_stop_tree(&rs);
	e = 0;
out_subreaper:
	prctl(PR_SET_CHILD_SUBREAPER, 0);
out:
	session_close(&rs);
	return e;
}
