// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The floor of advisor's cost: empty programs on the hooks advisor's own
 * attach to, so that `make bench` can measure what the kernel charges for
 * running a program there at all (tests/bench/floor.c loads one set).
 * "sched": the default mode's machine-wide hooks (bpf/sched.bpf.c and the
 * interrupt-context ones of bpf/wake_context.bpf.h); "syscalls": -S's raw
 * syscall tracepoints (bpf/syscalls.bpf.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define EMPTY(set, sec, name)                     \
	SEC(sec) int set##_##name(void *ctx)      \
	{                                         \
		return 0;                         \
	}

EMPTY(sched, "tp_btf/sched_switch", switch)
EMPTY(sched, "tp_btf/sched_waking", waking)
EMPTY(sched, "tp_btf/sched_wakeup", wakeup)
EMPTY(sched, "tp_btf/sched_process_fork", fork)
EMPTY(sched, "tp_btf/task_newtask", newtask)
EMPTY(sched, "tp_btf/sched_process_exec", exec)
EMPTY(sched, "tp_btf/sched_process_exit", exit)
EMPTY(sched, "tp_btf/irq_handler_entry", irq_entry)
EMPTY(sched, "tp_btf/irq_handler_exit", irq_exit)
EMPTY(sched, "tp_btf/softirq_entry", softirq_entry)
EMPTY(sched, "tp_btf/softirq_exit", softirq_exit)
EMPTY(sched, "tp_btf/hrtimer_expire_entry", hrtimer_entry)
EMPTY(sched, "tp_btf/hrtimer_expire_exit", hrtimer_exit)
EMPTY(sched, "tp_btf/local_timer_entry", local_timer_entry)
EMPTY(sched, "tp_btf/local_timer_exit", local_timer_exit)
EMPTY(sched, "tp_btf/timer_expire_entry", timer_entry)
EMPTY(sched, "tp_btf/timer_expire_exit", timer_exit)

EMPTY(syscalls, "raw_tp/sys_enter", enter)
EMPTY(syscalls, "raw_tp/sys_exit", exit)
