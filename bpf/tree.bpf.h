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

#endif /* ADVISOR_TREE_BPF_H */
