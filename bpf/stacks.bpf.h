/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --stacks: the maps that hold the tree's user stacks, and the helpers that
 * fill them. sched.bpf.c takes the stack of a wait at the switch-out that
 * starts it and books the wait's time where the wait ends (close_episode());
 * stacks.bpf.c samples the stacks of time on CPU. Both objects declare the
 * maps; the stack loader reuses the scheduler's (probes/stacks.c).
 */
#ifndef ADVISOR_STACKS_BPF_H
#define ADVISOR_STACKS_BPF_H

#include "abi.h"

/*
 * Set by the loader with --stacks. Without it the verifier drops the code
 * that reads stacks, and the loader shrinks these maps to one entry each.
 */
const volatile bool stacks_on = false;
/* --kernel-stacks: the kernel stack too (set only with stacks_on) */
const volatile bool kstacks_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, MAX_STACK_IDS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_STACK_KEYS);
	__type(key, struct stack_key);
	__type(value, struct stack_value);
} stack_times SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_STACK_SAMPLES);
	__type(key, struct stack_sample_key);
	__type(value, struct stack_sample);
} stack_samples SEC(".maps");

/* processes with stacks not yet seen by user space, which reads their mappings */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_STACK_PROCS);
	__type(key, struct stack_proc_key);
	__type(value, __u32);
} stack_procs SEC(".maps");

/*
 * A process's first stack, told to user space at once: its mappings are read
 * while it lives, even when it lives less than the 100 ms between two ticks.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} stack_new_procs SEC(".maps");

/* a sample is too big for the BPF stack: it is built here, then copied into the map */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack_sample);
} stack_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stack_drops SEC(".maps");

/* bpf_get_stackid()'s answer for a task with no user stack (a kernel thread, io-wq) */
#define STACK_EFAULT 14

static __always_inline void stack_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&stack_drops, &zero);

	if (n)
		(*n)++;
}

/* Read in pieces: a piece past the top of the stack's mapping fails alone. */
#define STACK_PIECE 512

/*
 * The first time a process shows a stack id: its user registers and the
 * top of its stack, for the DWARF unwind in user space (probes/symbols.c).
 * Once per (process, stack id): one copy stands for all its waits.
 */
static __always_inline void stack_sample_take(struct task_struct *t, struct stack_proc_key *pk,
					      __s32 id)
{
	struct stack_sample_key k = { .proc = *pk, .stack_id = id };
	struct pt_regs *r;
	struct stack_sample *c;
	__u32 zero = 0;
	__u64 sp;

	if (bpf_map_lookup_elem(&stack_samples, &k))
		return;
	c = bpf_map_lookup_elem(&stack_scratch, &zero);
	if (!c)
		return;
	r = (struct pt_regs *)bpf_task_pt_regs(t);
	c->regs[0] = r->ax;
	c->regs[1] = r->dx;
	c->regs[2] = r->cx;
	c->regs[3] = r->bx;
	c->regs[4] = r->si;
	c->regs[5] = r->di;
	c->regs[6] = r->bp;
	c->regs[7] = r->sp;
	c->regs[8] = r->r8;
	c->regs[9] = r->r9;
	c->regs[10] = r->r10;
	c->regs[11] = r->r11;
	c->regs[12] = r->r12;
	c->regs[13] = r->r13;
	c->regs[14] = r->r14;
	c->regs[15] = r->r15;
	c->regs[16] = r->ip;
	sp = r->sp;
	c->size = 0;
	for (int i = 0; i < STACK_COPY / STACK_PIECE; i++) {
		if (bpf_probe_read_user(c->data + i * STACK_PIECE, STACK_PIECE,
					(void *)(sp + i * STACK_PIECE)))
			break;
		c->size += STACK_PIECE;
	}
	/* full: the stacks after the first MAX_STACK_SAMPLES keep their frame-pointer walk */
	bpf_map_update_elem(&stack_samples, &k, c, BPF_NOEXIST);
}

/* The address space of t, a thread of process tgid (struct stack_proc_key). */
static __always_inline void stack_proc_of(struct task_struct *t, __u32 tgid,
					  struct stack_proc_key *pk)
{
	__u64 mm = 0;

	/* read as a number: the verifier allows no arithmetic on the pointer */
	bpf_core_read(&mm, sizeof(mm), &t->mm);
	pk->tgid = tgid;
	/* mm_structs are over 64-byte aligned: the bits above tell them apart */
	pk->mm_id = (__u32)(mm >> 6);
}

/*
 * The current task's user stack id + 1 (0: none), with its address space
 * noted for user space and a copy taken when the stack is new.
 */
static __always_inline __u32 stack_take(void *ctx, struct task_struct *t,
					struct stack_proc_key *pk)
{
	long id = bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK);
	__u32 one = 1;

	if (id < 0) {
		if (id != -STACK_EFAULT)
			stack_drop(); /* a hash collision in the full map */
		return 0;
	}
	if (!bpf_map_lookup_elem(&stack_procs, pk) &&
	    !bpf_map_update_elem(&stack_procs, pk, &one, BPF_NOEXIST))
		bpf_ringbuf_output(&stack_new_procs, pk, sizeof(*pk), 0);
	stack_sample_take(t, pk, id);
	return id + 1;
}

/* --kernel-stacks: the current kernel stack's id + 1 (0: none, or not asked for) */
static __always_inline __u32 kstack_take(void *ctx)
{
	long id;

	if (!kstacks_on)
		return 0;
	id = bpf_get_stackid(ctx, &stack_traces, 0);
	if (id < 0) {
		if (id != -STACK_EFAULT)
			stack_drop(); /* a hash collision in the full map */
		return 0;
	}
	return id + 1;
}

/*
 * Books ns at stack and kstack (stack_take()'s and kstack_take()'s answers)
 * of an address space, for a cause.
 */
static __always_inline void stack_add(const struct stack_proc_key *pk, __u32 stack, __u32 kstack,
				      __u32 cause, __u32 internal, __u64 ns)
{
	struct stack_key k = { .proc = *pk, .stack_id = (__s32)(stack - 1), .cause = cause,
			       .internal = internal, .kstack_id = (__s32)(kstack - 1) };
	struct stack_value z = { .time_ns = ns, .count = 1 }, *v;

	v = bpf_map_lookup_elem(&stack_times, &k);
	if (!v) {
		if (!bpf_map_update_elem(&stack_times, &k, &z, BPF_NOEXIST))
			return;
		/* another CPU made it first, or the map is full */
		v = bpf_map_lookup_elem(&stack_times, &k);
		if (!v) {
			stack_drop();
			return;
		}
	}
	__sync_fetch_and_add(&v->time_ns, ns);
	__sync_fetch_and_add(&v->count, 1);
}

#endif /* ADVISOR_STACKS_BPF_H */
