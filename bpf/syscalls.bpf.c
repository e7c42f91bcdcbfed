// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * -S: every syscall of the tree with its latency, like `strace -c`. The raw
 * syscall tracepoints tax every syscall of every process on the machine
 * (about +130 ns a call with empty programs attached, measured here), so
 * this object is only loaded on request, and a call that is not the tree's
 * leaves after the cheapest test there is: a note per CPU of the last task
 * that made a syscall there and whether it is the tree's. Only a task new
 * to the CPU, or a member, has its storage looked up.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "abi.h"
#include "hist.bpf.h"
#include "tree.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct syscall_hist);
} syscall_hists SEC(".maps");

/*
 * By CPU: the task that made the last syscall there and whether it is a
 * member of the tree (struct cpu_flag). A task makes its syscalls in runs
 * of many on one CPU, so most calls find themselves there and leave, or go
 * on, without looking up their storage. The task is known by its address
 * and its ids together: a new task may take a dead one's address, or in
 * time its id, but not both while the old one is still remembered. When
 * the loader makes a task a member (a seeded task may be remembered as no
 * member), it moves tree_gen on, and what was looked up before is looked up
 * again: tree_gen is read before the lookup, so a lookup that raced the seed
 * is kept under the old generation. Tasks that join in the kernel (fork,
 * io_uring's workers) are new tasks. No switch program keeps this: on these
 * VMs the kernel does not emit every sched_switch (README, "Known limits"),
 * and a flag kept at switch-in went stale.
 */
volatile __u32 tree_gen;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* the loader makes it one per possible CPU */
	__type(key, __u32);
	__type(value, struct cpu_flag);
} tree_on_cpu SEC(".maps");

/* The current task's account, when it is a member; NULL, as fast as can be, when not. */
static __always_inline struct task_state *current_state(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct cpu_flag *f = bpf_map_lookup_elem(&tree_on_cpu, &cpu);
	__u64 task = bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 gen = tree_gen;
	struct task_state *s;

	if (f && f->task == task && f->pid_tgid == id && f->gen == gen && !f->tree)
		return NULL;
	s = tree_state(bpf_get_current_task_btf());
	if (f) {
		f->task = task;
		f->pid_tgid = id;
		f->gen = gen;
		f->tree = s != NULL;
	}
	return s;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct task_state *s = current_state();
	struct syscall_hist *h;
	__u32 nr;

	if (!s || id < 0 || id >= NOT_IN_SYSCALL)
		return 0;
	nr = id;
	/* counted at entry: exit and exit_group never return */
	h = bpf_map_lookup_elem(&syscall_hists, &nr);
	if (h)
		h->count++;
	s->sys_nr = nr;
	s->sys_enter_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_state *s = current_state();
	struct syscall_hist *h;
	__u64 ns;
	__u32 nr, slot;

	if (!s || !s->sys_enter_ns)
		return 0;
	ns = bpf_ktime_get_ns() - s->sys_enter_ns;
	nr = s->sys_nr;
	s->sys_enter_ns = 0;
	h = bpf_map_lookup_elem(&syscall_hists, &nr);
	if (!h)
		return 0;
	if (ret < 0)
		h->errors++;
	h->total_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	slot = hist_slot_of(ns);
	if (slot < MAX_SLOTS)
		h->slots[slot]++;
	return 0;
}
