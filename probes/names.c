// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Syscall names and what a wait in each means, resolved with libseccomp. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes.h"

struct class_list {
	enum syscall_class class;
	const char *const *names;
};

/* fd-based: the kind of file behind the first argument decides */
static const char *const fd_calls[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "recvfrom", "sendto", "recvmsg", "sendmsg", "recvmmsg",
	"sendmmsg", "accept", "accept4", "connect", "sendfile", "splice", "tee",
	"copy_file_range", "ioctl", "shutdown", NULL,
};
static const char *const disk_calls[] = {
	"fsync", "fdatasync", "sync_file_range", "sync", "syncfs", "fallocate", "ftruncate",
	"truncate", "io_getevents", "io_pgetevents", "msync", "fadvise64", "readahead",
	"getdents64", "fstat", "newfstatat", "statx", "stat", "lstat", "unlink", "unlinkat",
	"rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "readlink",
	"readlinkat", "execve", "execveat", NULL,
};
static const char *const close_calls[] = {
	"close", "close_range", NULL,
};
static const char *const open_calls[] = {
	"open", "openat", "openat2", "creat", "name_to_handle_at", "open_by_handle_at", NULL,
};
static const char *const poll_calls[] = {
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "select", "pselect6",
	"io_uring_enter", NULL,
};
static const char *const lock_calls[] = {
	"futex", "futex_waitv", "flock", "fcntl", "semop", "semtimedop", NULL,
};
static const char *const sleep_calls[] = {
	"nanosleep", "clock_nanosleep", "pause", "rt_sigsuspend", "rt_sigtimedwait", NULL,
};
static const char *const child_calls[] = {
	"wait4", "waitid", "vfork", NULL,
};
static const char *const ipc_calls[] = {
	"msgrcv", "msgsnd", "mq_timedreceive", "mq_timedsend", NULL,
};

static const struct class_list classes[] = {
	{ CLASS_FD, fd_calls },       { CLASS_DISK, disk_calls },   { CLASS_OPEN, open_calls },
	{ CLASS_POLL, poll_calls },   { CLASS_LOCK, lock_calls },   { CLASS_SLEEP, sleep_calls },
	{ CLASS_CHILD, child_calls }, { CLASS_IPC, ipc_calls },     { CLASS_CLOSE, close_calls },
};

int syscall_classes_fill(__u8 *class, size_t n)
{
	memset(class, CLASS_OTHER, n);
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		for (const char *const *name = classes[i].names; *name; name++) {
			int nr = seccomp_syscall_resolve_name(*name);

			/* names the architecture lacks resolve to a negative number */
			if (nr >= 0 && (size_t)nr < n)
				class[nr] = classes[i].class;
		}
	}
	return 0;
}

int syscall_ia32_native_fill(__u16 *native, size_t n)
{
	for (size_t nr = 0; nr < n; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86, (int)nr);
		int x = name ? seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name) : -1;

		native[nr] = x >= 0 && (size_t)x < n && x < IO_WORKER_WAIT ? x : NOT_IN_SYSCALL;
		free(name);
	}
	return 0;
}

void syscall_name(int nr, char *buf, size_t len)
{
	char *name;

	if (nr == NOT_IN_SYSCALL || nr < 0) {
		snprintf(buf, len, "page_fault");
		return;
	}
	if (nr == IO_WORKER_WAIT) {
		snprintf(buf, len, "io_wq_worker");
		return;
	}
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "nr_%d", nr);
	free(name);
}
