// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * -S: every syscall of the tree with its latency, like `strace -c`. The raw
 * syscall tracepoints tax every syscall of every process on the machine
 * (KERNEL.md: about +130 ns a call with empty programs), so this object is
 * only loaded on request.
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

SEC("raw_tp/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct task_state *s = tree_state(bpf_get_current_task_btf());
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
	struct task_state *s = tree_state(bpf_get_current_task_btf());
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
