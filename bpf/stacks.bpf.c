// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --stacks, time on CPU: a timed sampler (a cpu-clock perf event on every
 * CPU) that books the user stack of a thread of the tree it finds running.
 * A sample stands for sample_period_ns of CPU time. The maps are the
 * scheduler object's (bpf/stacks.bpf.h), shared by the loader.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "abi.h"
#include "stacks.bpf.h"
#include "tree.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u64 sample_period_ns = 0;

SEC("perf_event")
int on_cpu_sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct task_state *s = tree_state(t);
	struct stack_proc_key pk;
	__u32 stack;

	if (!s || s->state == TS_NEW || s->state == TS_DEAD)
		return 0;
	stack_proc_of(t, member_tgid(t, s), &pk);
	stack = stack_take(ctx, t, &pk);
	/* a sample in user mode has no kernel stack (the walk answers -EFAULT) */
	if (stack)
		stack_add(&pk, stack, kstack_take(ctx), STACK_CAUSE_CPU, 0, sample_period_ns);
	return 0;
}
