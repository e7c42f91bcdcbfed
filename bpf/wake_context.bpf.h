/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Who woke a thread, and from which context. sched_waking runs in the
 * waker's context, but an interrupt runs on top of whatever task it lands
 * on, so the task seen there is no waker: a per-CPU depth of hardirq,
 * softirq and timer handlers, kept by their entry and exit tracepoints, says
 * when that is so. (The kernel's own preempt count is a per-CPU variable
 * that BPF cannot read without CONFIG_KALLSYMS_ALL.) Included by
 * sched.bpf.c only; its programs load with the scheduler's.
 */
#ifndef ADVISOR_WAKE_CONTEXT_BPF_H
#define ADVISOR_WAKE_CONTEXT_BPF_H

struct irq_depth {
	__u32 hard; /* hardirq handlers */
	__u32 soft;
	__u32 timer; /* hrtimer, local timer and timer_list callbacks */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct irq_depth);
} irq_depths SEC(".maps");

enum irq_kind {
	IRQ_HARD,
	IRQ_SOFT,
	IRQ_TIMER,
};

static __always_inline int irq_enter(enum irq_kind kind)
{
	__u32 zero = 0;
	struct irq_depth *d = bpf_map_lookup_elem(&irq_depths, &zero);

	if (!d)
		return 0;
	if (kind == IRQ_HARD)
		d->hard++;
	else if (kind == IRQ_SOFT)
		d->soft++;
	else
		d->timer++;
	return 0;
}

static __always_inline int irq_leave(enum irq_kind kind)
{
	__u32 zero = 0;
	struct irq_depth *d = bpf_map_lookup_elem(&irq_depths, &zero);

	if (!d)
		return 0;
	if (kind == IRQ_HARD && d->hard)
		d->hard--;
	else if (kind == IRQ_SOFT && d->soft)
		d->soft--;
	else if (kind == IRQ_TIMER && d->timer)
		d->timer--;
	return 0;
}

/*
 * The exit programs come first: the skeleton attaches in this order, and an
 * exit seen without its entry is ignored, while an entry without its exit
 * would leave the CPU's depth stuck.
 */
SEC("tp_btf/irq_handler_exit")
int BPF_PROG(on_irq_exit) { return irq_leave(IRQ_HARD); }
SEC("tp_btf/softirq_exit")
int BPF_PROG(on_softirq_exit) { return irq_leave(IRQ_SOFT); }
SEC("tp_btf/hrtimer_expire_exit")
int BPF_PROG(on_hrtimer_exit) { return irq_leave(IRQ_TIMER); }
SEC("tp_btf/local_timer_exit")
int BPF_PROG(on_local_timer_exit) { return irq_leave(IRQ_TIMER); }
SEC("tp_btf/timer_expire_exit")
int BPF_PROG(on_timer_exit) { return irq_leave(IRQ_TIMER); }
SEC("tp_btf/irq_handler_entry")
int BPF_PROG(on_irq_entry) { return irq_enter(IRQ_HARD); }
SEC("tp_btf/softirq_entry")
int BPF_PROG(on_softirq_entry) { return irq_enter(IRQ_SOFT); }
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(on_hrtimer_entry) { return irq_enter(IRQ_TIMER); }
SEC("tp_btf/local_timer_entry")
int BPF_PROG(on_local_timer_entry) { return irq_enter(IRQ_TIMER); }
SEC("tp_btf/timer_expire_entry")
int BPF_PROG(on_timer_entry) { return irq_enter(IRQ_TIMER); }

/* WAKE_* of a wakeup happening now: by a thread of the tree, and in which context. */
static __always_inline __u32 wake_info(void)
{
	__u32 zero = 0;
	struct irq_depth *d = bpf_map_lookup_elem(&irq_depths, &zero);
	__u32 info = WAKE_SEEN;

	if (member_state(bpf_get_current_task_btf()))
		info |= WAKE_BY_TREE;
	if (d) {
		if (d->hard)
			info |= WAKE_IN_HARDIRQ;
		if (d->soft)
			info |= WAKE_IN_SOFTIRQ;
		if (d->timer)
			info |= WAKE_IN_TIMER;
	}
	return info;
}

#endif /* ADVISOR_WAKE_CONTEXT_BPF_H */
