// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "target.h"

static int check_file(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || access(path, X_OK))
		return -EACCES;
	return 0;
}

int target_resolve(const char *argv0, char *path, size_t len)
{
	const char *env = getenv("PATH");
	char *dirs, *dir, *save = NULL;
	int best = -ENOENT;

	if (!*argv0)
		return -ENOENT;
	if (strchr(argv0, '/')) {
		snprintf(path, len, "%s", argv0);
		return check_file(path);
	}
	dirs = strdup(env && *env ? env : "/usr/local/bin:/usr/bin:/bin");
	if (!dirs)
		return -ENOMEM;
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		int e;

		snprintf(path, len, "%s/%s", *dir ? dir : ".", argv0);
		e = check_file(path);
		if (!e) {
			free(dirs);
			return 0;
		}
		/* like execvp: a file found but not runnable beats not found */
		if (e != -ENOENT && e != -ENOTDIR)
			best = e;
	}
	free(dirs);
	return best;
}

/* Started through sudo: run the target as the user who asked, not as root. */
static int drop_privileges(void)
{
	const char *suid = getenv("SUDO_UID"), *sgid = getenv("SUDO_GID");
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (getuid() != 0 || !suid || !sgid)
		return 0;
	uid = strtoul(suid, NULL, 10);
	gid = strtoul(sgid, NULL, 10);
	if (uid == 0)
		return 0;
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL))
		return -errno;
	if (setgid(gid) || setuid(uid))
		return -errno;
	return 0;
}

static void __attribute__((noreturn))
child_main(int hold_fd, int err_fd, char *const argv[], const sigset_t *mask, bool stdout_to_stderr)
{
	char c;
	int e;

	sigprocmask(SIG_SETMASK, mask, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* advisor died before releasing us: never run unobserved */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(hold_fd, &c, 1) != 1)
		_exit(EXIT_ENV);
	close(hold_fd);
	prctl(PR_SET_PDEATHSIG, 0);
	if (stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(EXIT_ENV);
	e = drop_privileges();
	if (!e) {
		execvp(argv[0], argv);
		e = -errno;
	}
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(EXIT_ENV);
	_exit(e == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

int target_spawn(struct target *t, char *const argv[], const sigset_t *child_mask)
{
	int hold[2], err[2];

	if (pipe2(hold, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		close(hold[0]);
		close(hold[1]);
		return -errno;
	}
	t->pid = fork();
	if (t->pid < 0) {
		int e = -errno;

		close(hold[0]);
		close(hold[1]);
		close(err[0]);
		close(err[1]);
		return e;
	}
	if (t->pid == 0) {
		close(hold[1]);
		close(err[0]);
		child_main(hold[0], err[1], argv, child_mask, t->stdout_to_stderr);
	}
	close(hold[0]);
	close(err[1]);
	t->hold_fd = hold[1];
	t->err_fd = err[0];
	return 0;
}

int target_release(struct target *t)
{
	ssize_t n;
	int e = 0;

	if (write(t->hold_fd, "x", 1) != 1)
		e = -errno;
	close(t->hold_fd);
	t->hold_fd = -1;
	if (e)
		return e;
	do
		n = read(t->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(t->err_fd);
	t->err_fd = -1;
	return n == sizeof(e) ? e : 0;
}

void target_abort(struct target *t)
{
	if (t->hold_fd >= 0)
		close(t->hold_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
}
