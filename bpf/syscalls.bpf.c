// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * -S: every syscall of the tree with its latency, like `strace -c`. The raw
 * syscall tracepoints tax every syscall of every process on the machine
 * (about +130 ns a call with empty programs attached, measured here), so
 * this object is only loaded on request, and a call that is not the tree's
 * leaves after the cheapest test there is: a flag per CPU, kept by this
 * object's own switch program, that says whether the task now on that CPU
 * may be the tree's. Only when it does is the task's storage looked up.
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
 * By CPU: whether the task switched in last is a member of the tree
 * (struct cpu_flag). The loader sets every CPU's flag before the programs
 * attach, and again whenever it makes a task a member (a seeded task may be
 * on a CPU already), so a member is never missed: a flag is only ever wrong
 * by saying yes, until that CPU's next switch puts it right. Tasks that join
 * in the kernel (fork, io_uring's workers) are switched in as members.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* the loader makes it one per possible CPU */
	__type(key, __u32);
	__type(value, struct cpu_flag);
} tree_on_cpu SEC(".maps");

static __always_inline struct cpu_flag *cpu_flag(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&tree_on_cpu, &cpu);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_in, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cpu_flag *f = cpu_flag();
	__u32 tree;

	if (!f)
		return 0;
	tree = tree_state(next) != NULL;
	/* written only when it changes: most switches leave it as it was */
	if (f->tree != tree)
		f->tree = tree;
	return 0;
}

/* The current task's account, when it is a member; NULL, as fast as can be, when not. */
static __always_inline struct task_state *current_state(void)
{
	struct cpu_flag *f = cpu_flag();

	if (!f || !f->tree)
		return NULL;
	return tree_state(bpf_get_current_task_btf());
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
