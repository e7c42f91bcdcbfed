// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

/* cgroup v2 is at /sys/fs/cgroup on most systems, /sys/fs/cgroup/unified on hybrid ones. */
static int cgroup2_mount(char *buf, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int e = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(buf, len, "%s", m->mnt_dir);
			e = 0;
			break;
		}
	}
	endmntent(f);
	return e;
}

/*
 * An advisor killed with SIGKILL cannot remove its cgroup: the next one
 * removes those whose advisor is gone (rmdir fails on any still in use).
 */
static void remove_stale(const char *mnt)
{
	DIR *d = opendir(mnt);
	struct dirent *de;
	char path[512];
	int pid;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "advisor.%d", &pid) != 1 || pid <= 0)
			continue;
		if (!kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", mnt, de->d_name);
		rmdir(path);
	}
	closedir(d);
}

int cgroup_create(struct run_cgroup *cg, char *err, size_t errlen)
{
	char mnt[256];
	int e;

	cg->fd = -1;
	cg->path[0] = '\0';
	e = cgroup2_mount(mnt, sizeof(mnt));
	if (e) {
		snprintf(err, errlen, "no cgroup v2 mount found");
		return e;
	}
	remove_stale(mnt);
	/*
	 * A cgroup of this name still in use was left by an advisor with the
	 * same pid (killed, its target still running): never reuse it, or its
	 * processes would be counted and signalled as this run's.
	 */
	for (int n = 0;; n++) {
		if (n)
			snprintf(cg->path, sizeof(cg->path), "%s/advisor.%d.%d", mnt, (int)getpid(), n);
		else
			snprintf(cg->path, sizeof(cg->path), "%s/advisor.%d", mnt, (int)getpid());
		if (!mkdir(cg->path, 0755))
			break;
		if (errno != EEXIST || n == 99) {
			e = -errno;
			snprintf(err, errlen, "cannot create cgroup %s: %s", cg->path,
				 strerror(errno));
			cg->path[0] = '\0';
			return e;
		}
	}
	cg->fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->fd < 0) {
		e = -errno;
		snprintf(err, errlen, "cannot open cgroup %s: %s", cg->path, strerror(errno));
		rmdir(cg->path);
		cg->path[0] = '\0';
		return e;
	}
	return 0;
}

int cgroup_of_pid(pid_t pid, char *path, size_t len, char *err, size_t errlen)
{
	char file[64], line[512], mnt[256];
	int e = -ENOENT;
	FILE *f;

	if (cgroup2_mount(mnt, sizeof(mnt))) {
		snprintf(err, errlen, "no cgroup v2 mount found");
		return -ENOENT;
	}
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "re");
	if (!f) {
		e = -errno;
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(-e));
		return e;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "0::/", 4))
			continue;
		/* "0::/" is the root: the mount itself */
		if ((size_t)snprintf(path, len, "%s%s", mnt, line[4] ? line + 3 : "") >= len)
			e = -ENAMETOOLONG;
		else
			e = 0;
		break;
	}
	fclose(f);
	if (e)
		snprintf(err, errlen, "pid %d is in no cgroup v2 (cgroup v1 only)", (int)pid);
	return e;
}

static int write_pid(const char *dir, const char *file, pid_t pid)
{
	char path[600], buf[32];
	int fd, n, e = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, n) != n)
		e = -errno;
	close(fd);
	return e;
}

int cgroup_enter(const struct run_cgroup *cg, pid_t pid)
{
	if (cg->fd < 0)
		return -ENOENT;
	return write_pid(cg->path, "cgroup.procs", pid);
}

int cgroup_for_each_pid(const struct run_cgroup *cg, void (*fn)(pid_t pid, void *ctx), void *ctx)
{
	char path[600];
	FILE *f;
	int pid;

	if (cg->fd < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->path);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%d", &pid) == 1)
		fn(pid, ctx);
	fclose(f);
	return 0;
}

static void signal_one(pid_t pid, void *ctx)
{
	int *sig_count = ctx;

	if (!kill(pid, sig_count[0]))
		sig_count[1]++;
}

int cgroup_signal(const struct run_cgroup *cg, int sig)
{
	int sig_count[2] = { sig, 0 };

	cgroup_for_each_pid(cg, signal_one, sig_count);
	return sig_count[1];
}

static void move_to_parent(pid_t pid, void *ctx)
{
	const char *parent = ctx;

	write_pid(parent, "cgroup.procs", pid);
}

void cgroup_remove(struct run_cgroup *cg)
{
	char parent[512];
	char *slash;

	if (cg->fd < 0)
		return;
	snprintf(parent, sizeof(parent), "%s", cg->path);
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	cgroup_for_each_pid(cg, move_to_parent, parent);
	close(cg->fd);
	cg->fd = -1;
	rmdir(cg->path);
}
