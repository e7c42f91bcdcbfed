/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Membership of the traced tree and each member's state machine, kept in
 * task-local storage: a task is in the tree exactly when it has an entry.
 * sched.bpf.c and syscalls.bpf.c share this map (user space reuses its fd).
 */
#ifndef ADVISOR_TREE_BPF_H
#define ADVISOR_TREE_BPF_H

#include "abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} tree SEC(".maps");

static __always_inline struct task_state *tree_state(struct task_struct *t)
{
	return bpf_task_storage_get(&tree, t, 0, 0);
}

/*
 * The inode of advisor's own pid namespace, set by the loader when it is not
 * the initial one (0). Inside a container, every id the programs record is
 * the one seen from there, as the user sees it; the tree's tasks are
 * advisor's descendants, so they all have an id in it. (The namespace's
 * level cannot be read from inside it: /proc/self/status shows the levels
 * from /proc's namespace down, so the programs look for the inode.)
 */
const volatile __u32 pidns_inum = 0;

/* Levels of nested pid namespaces searched: the kernel allows 32, containers use few. */
#define PIDNS_MAX_LEVEL 8

/* The number of pid in advisor's pid namespace, 0 when it has none there. */
static __always_inline __u32 pid_nr_in_ns(struct pid *pid)
{
	unsigned int level;
	struct upid up;

	if (!pid)
		return 0;
	level = BPF_CORE_READ(pid, level);
	for (unsigned int i = 0; i < PIDNS_MAX_LEVEL && i <= level; i++) {
		up.nr = 0;
		up.ns = NULL;
		bpf_probe_read_kernel(&up, sizeof(up),
				      (void *)pid + bpf_core_field_offset(struct pid, numbers) +
					      i * bpf_core_type_size(struct upid));
		if (up.ns && BPF_CORE_READ(up.ns, ns.inum) == pidns_inum)
			return up.nr;
	}
	return 0;
}

/* A task's thread id, and its process id, in advisor's pid namespace. */
static __always_inline __u32 task_tid(struct task_struct *t)
{
	return pidns_inum ? pid_nr_in_ns(BPF_CORE_READ(t, thread_pid)) : t->pid;
}

static __always_inline __u32 task_tgid(struct task_struct *t)
{
	return pidns_inum ? pid_nr_in_ns(BPF_CORE_READ(t, group_leader, thread_pid)) : t->tgid;
}

/*
 * task_tid() and task_tgid() of a member, kept in its state: inside a pid
 * namespace a thread's pid is released before its last switch-out, and an
 * exec from a thread other than the leader swaps the two threads' ids
 * before the old leader's last switch-out, so the ids are taken at fork or
 * seeding, or when first needed, and kept: each account stays with its
 * thread (the exec'ing thread's moves in sched.bpf.c, account_move()).
 */
static __always_inline __u32 member_tid(struct task_struct *t, struct task_state *s)
{
	if (!s->tid)
		s->tid = task_tid(t);
	return s->tid;
}

static __always_inline __u32 member_tgid(struct task_struct *t, struct task_state *s)
{
	if (!s->tgid)
		s->tgid = task_tgid(t);
	return s->tgid;
}

/* task_tgid() of a pointer read from memory, not one the tracepoint gave. */
static __always_inline __u32 task_tgid_read(struct task_struct *t)
{
	return pidns_inum ? pid_nr_in_ns(BPF_CORE_READ(t, group_leader, thread_pid)) :
			     BPF_CORE_READ(t, tgid);
}

#endif /* ADVISOR_TREE_BPF_H */
