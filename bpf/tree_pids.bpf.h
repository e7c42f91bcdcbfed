/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A quick "not a member" for the scheduler's machine-wide programs: a bit
 * per pid, set for every task that joins the tree (by the loader at a seed,
 * by tree_adopt() at a fork) and never cleared. A clear bit means the task
 * is not a member and its task storage is not looked up: on the machine's
 * other tasks, which are almost all the switches and wakeups these programs
 * see, an array read the JIT inlines replaces a storage lookup. A set bit
 * only says "may be": the storage decides (a pid reused by another task
 * costs that task the lookup, nothing else). Pids past the array (pid_max
 * raised during the run) are looked up. In a nested pid namespace the
 * loader cannot name the kernel's pids and sets every bit.
 */
#ifndef ADVISOR_TREE_PIDS_BPF_H
#define ADVISOR_TREE_PIDS_BPF_H

#include "tree.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE); /* the loader sets bits with atomics */
	__uint(max_entries, 1); /* the loader makes it pid_max / 64 words */
	__type(key, __u32);
	__type(value, __u64);
} tree_pids SEC(".maps");

static __always_inline void tree_pid_mark(__u32 pid)
{
	__u32 w = pid / 64;
	__u64 *v = bpf_map_lookup_elem(&tree_pids, &w);

	if (v)
		__sync_fetch_and_or(v, 1ULL << (pid % 64));
}

/* t's account when it is a member; NULL, without a storage lookup for most others */
static __always_inline struct task_state *member_state(struct task_struct *t)
{
	__u32 pid = t->pid, w = pid / 64;
	__u64 *v = bpf_map_lookup_elem(&tree_pids, &w);

	if (v && !(*v & (1ULL << (pid % 64))))
		return NULL;
	return tree_state(t);
}

#endif /* ADVISOR_TREE_PIDS_BPF_H */
