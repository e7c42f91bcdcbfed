/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Membership of the traced tree and each member's state machine, kept in
 * task-local storage: a task is in the tree exactly when it has an entry.
 * sched.bpf.c and syscalls.bpf.c share this map (user space reuses its fd).
 */
#ifndef ADVISOR_TREE_BPF_H
#define ADVISOR_TREE_BPF_H

#include "abi.h"

enum thread_state {
	TS_NEW, /* seeded by user space, not seen running yet */
	TS_RUNNING,
	TS_RUNQ_WAKEUP,
	TS_RUNQ_PREEMPT,
	TS_BLOCKED,
	TS_DEAD,
};

struct task_state {
	__u64 ts; /* last transition, CLOCK_MONOTONIC ns */
	__u32 state;
	__u32 cause;
	__u32 sys; /* syscall the thread blocked in, or NOT_IN_SYSCALL */
	__u32 loopback; /* blocked on a Unix or loopback socket */
	__u32 early_wake; /* woken before its switch-out was seen: 1 | internal << 1 */
	__u32 sys_nr; /* -S: syscall in progress */
	__u64 sys_enter_ns; /* -S: its entry time, 0 when none */
};

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

#endif /* ADVISOR_TREE_BPF_H */
