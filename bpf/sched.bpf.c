// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Thread-state accounting of the traced tree from the scheduler tracepoints
 * alone: every nanosecond of a member thread is on CPU, waiting for a CPU,
 * or blocked on a cause read from the task at switch-out. No per-syscall
 * probe is involved (README, "Overhead").
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "abi.h"
#include "hist.bpf.h"
#include "stacks.bpf.h"
#include "tree.bpf.h"
#include "tree_pids.bpf.h"
#include "wake_context.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Set by user space for the final sweep: the tree's accounts stay as they
 * are while it reads them (probes/sched.c). Tested only for the tree's own
 * tasks, after the membership test.
 */
volatile bool stopped;

/* Syscall number -> enum syscall_class, filled from libseccomp names. */
const volatile __u8 syscall_class[MAX_SYSCALLS] = {};
/*
 * A 32-bit (ia32) syscall's number -> the x86_64 number of the syscall of
 * the same name, NOT_IN_SYSCALL when there is none (socketcall, ipc...):
 * a compat process (or int $0x80) numbers its syscalls differently and
 * passes the first argument in bx.
 */
const volatile __u16 ia32_native[MAX_SYSCALLS] = {};

/* task->flags: an io_uring worker thread (include/linux/sched.h) */
#define PF_IO_WORKER 0x00000010
/* thread_info.status: in a 32-bit syscall (arch/x86/include/asm/thread_info.h) */
#define TS_COMPAT 0x0002
/* x32 syscalls carry this bit; below 512 their numbers are x86_64's */
#define X32_SYSCALL_BIT 0x40000000

/* task->__state bits (include/linux/sched.h) */
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_STOPPED 0x0004
#define TASK_TRACED 0x0008
#define TASK_DEAD_STATE 0x0080
#define TASK_BLOCKING_BITS (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | TASK_STOPPED | TASK_TRACED)

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10

/* struct pipe_stream by pipe: external waits on it, whichever thread waited */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_PIPES);
	__type(key, __u64);
	__type(value, struct pipe_stream);
} pipe_streams SEC(".maps");

/* not preallocated: creating 65536 entries up front costs start-up time */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_THREADS);
	__type(key, __u32);
	__type(value, struct thread_stats);
} thread_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_PROCS);
	__type(key, __u32);
	__type(value, struct proc_info);
} proc_infos SEC(".maps");

/*
 * A thread's account leaves thread_stats (and a leader's process info
 * proc_infos) the moment it dies, into these queues that user space empties
 * every 100 ms: its tid or pid may be reused before then, and the new
 * thread's entry must not overwrite the dead one's.
 */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_DEAD_QUEUE);
	__type(value, struct thread_stats);
} dead_threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_DEAD_QUEUE);
	__type(value, struct proc_info);
} dead_procs SEC(".maps");

/* index cause * 2 + internal */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_CAUSES * 2);
	__type(key, __u32);
	__type(value, struct wait_hist);
} cause_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, struct wait_hist);
} syscall_waits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tree_totals);
} totals SEC(".maps");

/*
 * Interrupt nesting per CPU. Interrupts run on top of whatever task they
 * land on, so at sched_waking `current` is a waker only in task context.
 * This kernel has no CONFIG_KALLSYMS_ALL, so preempt_count cannot be read;
 * the irq/softirq/timer tracepoints keep these counters instead.
 */

static __always_inline struct tree_totals *totals_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&totals, &zero);
}

static __always_inline void count_drop(void)
{
	struct tree_totals *t = totals_get();

	if (t)
		t->dropped++;
}

static __always_inline __u32 parent_tgid(struct task_struct *t)
{
	return task_tgid_read(BPF_CORE_READ(t, real_parent));
}

static __always_inline struct thread_stats *stats_create(struct task_struct *t,
							  struct task_state *s, __u64 now)
{
	struct thread_stats z = {}, *old;
	__u32 tid = member_tid(t, s);

	/* a dead thread's account the queue could not take, its tid reused: lost, counted */
	old = bpf_map_lookup_elem(&thread_stats, &tid);
	if (old && old->exited)
		count_drop();
	z.pid = member_tgid(t, s);
	z.tid = tid;
	z.ppid = parent_tgid(t);
	z.start_ns = now;
	z.ep_ts = now;
	z.ep_exec_ns = s->exec_last;
	z.ep_delay_ns = s->delay_last;
	bpf_probe_read_kernel_str(z.comm, sizeof(z.comm), t->comm);
	if (bpf_map_update_elem(&thread_stats, &tid, &z, BPF_ANY)) {
		count_drop();
		return NULL;
	}
	return bpf_map_lookup_elem(&thread_stats, &tid);
}

static __always_inline struct thread_stats *stats_get(struct task_struct *t,
						       struct task_state *s, __u64 now)
{
	__u32 tid = member_tid(t, s);
	struct thread_stats *st = bpf_map_lookup_elem(&thread_stats, &tid);

	return st ? st : stats_create(t, s, now);
}

/*
 * A typed view of a kernel pointer read as a number: loads through it are
 * direct, much cheaper than a bpf_probe_read_kernel() call each. The kfunc
 * came in Linux 6.2 (commit fd264ca02094, "bpf: Add a kfunc to type cast from
 * bpf uapi ctx to kernel ctx"); __weak, so the object loads without it. On
 * an older kernel the verifier refuses any program that calls it, so the
 * switch-out comes in two programs, on_sched_switch (direct loads) and
 * on_sched_switch_read (probe reads), and the loader keeps the first that
 * the kernel accepts (probes/sched.c).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* ptr->field, directly through a typed pointer (cast) or with a CO-RE probe read */
#define LOAD(cast, ptr, ...) ((cast) ? (ptr)->__VA_ARGS__ : BPF_CORE_READ(ptr, __VA_ARGS__))

/* Whether a socket's peer is on this machine, or may be (see below). */
static __always_inline bool is_loopback_sock(struct sock *sk, const bool cast)
{
	__u16 family;

	if (!sk)
		return false;
	family = LOAD(cast, sk, __sk_common.skc_family);
	if (family == AF_UNIX)
		return true;
	/*
	 * A socket with no peer (a listener, an unconnected UDP socket) is
	 * judged by its bound address. One bound to the wildcard (0.0.0.0, ::)
	 * takes peers from anywhere, local ones too: it may be local, and its
	 * wakeups are judged by the waker alone (waker(): a softirq counts as
	 * the tree's only on top of a tree thread's send).
	 */
	if (family == AF_INET) {
		__u32 addr = LOAD(cast, sk, __sk_common.skc_daddr);

		if (!addr)
			addr = LOAD(cast, sk, __sk_common.skc_rcv_saddr);
		return !addr || (addr & 0xff) == 127;
	}
	if (family == AF_INET6) {
		__u32 w0 = LOAD(cast, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32[0]);
		__u32 w1 = LOAD(cast, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32[1]);
		__u32 w2 = LOAD(cast, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32[2]);
		__u32 w3 = LOAD(cast, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32[3]);

		if (!w0 && !w1 && !w2 && !w3) {
			w0 = LOAD(cast, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[0]);
			w1 = LOAD(cast, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[1]);
			w2 = LOAD(cast, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[2]);
			w3 = LOAD(cast, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[3]);
		}
		if (!w0 && !w1 && !w2 && (!w3 || w3 == bpf_htonl(1)))
			return true; /* ::, ::1 */
		/* IPv4-mapped 127.x */
		return !w0 && !w1 && w2 == bpf_htonl(0xffff) && (w3 & 0xff) == 127;
	}
	return false;
}

/*
 * The cause of a wait in an fd-based syscall, from the kind of file behind
 * fd; *fifo gets the file of a pipe or FIFO.
 */
static __always_inline __u32 fd_cause(struct task_struct *t, long fd, __u32 *loopback,
					__u64 *fifo, const bool cast)
{
	struct files_struct *files = t->files;
	struct fdtable *fdt;
	unsigned long fptr = 0;
	struct file *f;
	struct socket *sock;
	umode_t mode;

	if (!files || fd < 0)
		return CAUSE_OTHER;
	fdt = files->fdt;
	if (!fdt || (unsigned long)fd >= fdt->max_fds)
		return CAUSE_OTHER;
	/* an array of pointers: the one element still takes a probe read */
	if (bpf_probe_read_kernel(&fptr, sizeof(fptr), (void *)fdt->fd + fd * sizeof(fptr)) ||
	    !fptr)
		return CAUSE_OTHER;
	if (cast) {
		f = bpf_rdonly_cast((void *)fptr, bpf_core_type_id_kernel(struct file));
		mode = f->f_inode->i_mode;
	} else {
		f = (struct file *)fptr;
		mode = BPF_CORE_READ(f, f_inode, i_mode);
	}
	switch (mode & S_IFMT) {
	case S_IFSOCK:
		if (cast) {
			sock = bpf_rdonly_cast(f->private_data,
					       bpf_core_type_id_kernel(struct socket));
			*loopback = is_loopback_sock(sock->sk, cast);
		} else {
			sock = BPF_CORE_READ(f, private_data);
			*loopback = is_loopback_sock(BPF_CORE_READ(sock, sk), cast);
		}
		return CAUSE_NET;
	case S_IFREG:
	case S_IFBLK:
	case S_IFDIR:
		return CAUSE_DISK;
	case S_IFIFO:
		*fifo = fptr;
		return CAUSE_IPC;
	default:
		/* pipes, FIFOs, character devices, anon inodes (eventfd...) */
		return CAUSE_IPC;
	}
}

/* Runs in prev's own context at its switch-out. */
static __always_inline void classify_wait(struct task_struct *t, struct task_state *s,
					  unsigned int prev_state, const bool cast)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long nr = regs->orig_ax;
	long arg0 = regs->di;
	__u32 cls;

	s->loopback = 0;
	s->fifo = 0;
	if (prev_state & (TASK_STOPPED | TASK_TRACED)) {
		s->cause = CAUSE_OTHER;
		s->sys = NOT_IN_SYSCALL;
		return;
	}
	/*
	 * An io_uring worker (io-wq) runs requests in the kernel: its registers
	 * are no syscall of its own. For a request it waits on the disk
	 * (io_schedule() marks the wait in_iowait) or on a kernel lock; it waits
	 * interruptibly for work: idle, not I/O.
	 */
	if (t->flags & PF_IO_WORKER) {
		s->sys = IO_WORKER_WAIT;
		if (!(prev_state & TASK_UNINTERRUPTIBLE))
			s->cause = CAUSE_OTHER;
		else
			s->cause = BPF_CORE_READ_BITFIELD_PROBED(t, in_iowait) ? CAUSE_DISK : CAUSE_LOCK;
		return;
	}
	if (nr >= 0 && (nr & X32_SYSCALL_BIT))
		nr &= ~(long)X32_SYSCALL_BIT;
	else if (nr >= 0 && (BPF_CORE_READ(t, thread_info.status) & TS_COMPAT)) {
		nr = ia32_native[nr & (MAX_SYSCALLS - 1)];
		arg0 = (__u32)regs->bx;
	}
	if (nr < 0 || nr >= NOT_IN_SYSCALL) {
		/* not in a syscall: an uninterruptible wait is a major page fault */
		s->sys = NOT_IN_SYSCALL;
		s->cause = (prev_state & TASK_UNINTERRUPTIBLE) ? CAUSE_DISK : CAUSE_OTHER;
		return;
	}
	s->sys = nr;
	cls = syscall_class[nr & (MAX_SYSCALLS - 1)];
	switch (cls) {
	case CLASS_FD:
		s->cause = fd_cause(t, arg0, &s->loopback, &s->fifo, cast);
		break;
	case CLASS_NET:
		s->cause = CAUSE_NET;
		break;
	case CLASS_DISK:
	case CLASS_OPEN:
	case CLASS_CLOSE:
		s->cause = CAUSE_DISK;
		break;
	case CLASS_POLL:
		s->cause = CAUSE_POLL;
		break;
	case CLASS_LOCK:
		s->cause = CAUSE_LOCK;
		break;
	case CLASS_SLEEP:
		s->cause = CAUSE_SLEEP;
		break;
	case CLASS_CHILD:
		s->cause = CAUSE_CHILD;
		break;
	case CLASS_IPC:
		s->cause = CAUSE_IPC;
		break;
	default:
		s->cause = CAUSE_OTHER;
	}
}

/*
 * Whether the wakeup that ended a wait was an internal dependency: a thread
 * of the tree woke it from task context, or, for a loopback or Unix socket
 * (and an event loop waiting on one), from the softirq that the sender's own
 * send runs. Disk and non-loopback sockets are always external, and so is
 * anything woken from a hardirq or a timer (README, "What is measured").
 */
static __always_inline __u32 wake_is_internal(const struct task_state *s)
{
	__u32 w = s->wake;

	if (!(w & WAKE_BY_TREE) || (w & (WAKE_IN_HARDIRQ | WAKE_IN_TIMER)))
		return 0;
	if (s->cause == CAUSE_DISK || (s->cause == CAUSE_NET && !s->loopback))
		return 0;
	if (!(w & WAKE_IN_SOFTIRQ))
		return 1;
	return (s->cause == CAUSE_NET && s->loopback) || s->cause == CAUSE_POLL;
}

/*
 * A poll, socket or pipe wait that a timer ended is the program's own
 * timeout (an event loop's tick, a recv timeout), not I/O: count it as sleep.
 */
static __always_inline __u32 wait_cause(const struct task_state *s)
{
	__u32 cause = s->cause < NR_CAUSES ? s->cause : CAUSE_OTHER;

	if ((s->wake & WAKE_IN_TIMER) && !(s->wake & WAKE_IN_HARDIRQ) &&
	    (cause == CAUSE_POLL || cause == CAUSE_NET || cause == CAUSE_IPC))
		return CAUSE_SLEEP;
	return cause;
}

/*
 * The wait [from, to] on one pipe joins the pipe's stream: the part after
 * the latest end added so far, moved forward with a compare-and-swap so that
 * two CPUs ending waits on one pipe at once add disjoint parts. The first
 * wait seen on the pipe is not added (see below).
 */
static __always_inline void pipe_stream_add(__u64 pipe, __u64 from, __u64 to)
{
	struct pipe_stream *ps = bpf_map_lookup_elem(&pipe_streams, &pipe);
	__u64 old;

	if (!ps) {
		/*
		 * the first wait on a pipe only opens its stream, as a thread's
		 * own chain starts at its second read: before it, the producer
		 * may not have started yet, and that margin of one wait keeps
		 * what the clocks add (steal, a wakeup's IPI) from making the
		 * stream longer than its producer
		 */
		struct pipe_stream z = { .covered_to = to };

		if (!bpf_map_update_elem(&pipe_streams, &pipe, &z, BPF_NOEXIST))
			return;
		ps = bpf_map_lookup_elem(&pipe_streams, &pipe);
		if (!ps)
			return; /* the map is full: the threads' own streams still count */
	}
	for (int i = 0; i < 4; i++) {
		old = ps->covered_to;
		if (to <= old)
			return;
		if (__sync_val_compare_and_swap(&ps->covered_to, old, to) == old) {
			__sync_fetch_and_add(&ps->ns, to - (from > old ? from : old));
			return;
		}
	}
}

static __always_inline void account_blocked(struct thread_stats *st, struct tree_totals *tot,
					    struct task_state *s, __u64 delta)
{
	__u32 cause = wait_cause(s);
	__u32 internal = wake_is_internal(s);
	__u32 idx = cause * 2 + (internal ? 1 : 0);
	__u32 sys = s->sys & (MAX_SYSCALLS - 1);
	struct wait_hist *h;

	/*
	 * wait_cause() is below NR_CAUSES; the mask (NR_CAUSES is 8) says so to
	 * Linux 6.1's verifier, which does not carry a 32-bit compare's bound to
	 * the 64-bit index.
	 */
	_Static_assert((NR_CAUSES & (NR_CAUSES - 1)) == 0, "NR_CAUSES is a power of two");
	if (st) {
		__u64 ci = cause;

		/* hide the known range from clang, or it drops the mask */
		asm volatile("" : "+r"(ci));
		ci &= NR_CAUSES - 1;
		st->blocked_ns[ci] += delta;
		if (internal)
			st->internal_ns[ci] += delta;
	}
	/* successive external reads of one pipe: the producer's pace */
	if (st && !internal && CAUSE_IS_IO(cause)) {
		if (s->fifo && s->fifo == s->last_fifo)
			st->stream_ns += delta;
		s->last_fifo = s->fifo;
		/* the wait is the start of the episode, which began at the switch-out */
		if (s->fifo)
			pipe_stream_add(s->fifo, s->ts, s->ts + delta);
	}
	h = bpf_map_lookup_elem(&cause_hists, &idx);
	if (h)
		wait_hist_add(h, delta);
	h = bpf_map_lookup_elem(&syscall_waits, &sys);
	if (h)
		wait_hist_add(h, delta);
	if (tot) {
		if (!internal && CAUSE_IS_IO(cause))
			tot->io_ns += delta;
		else
			tot->other_ns += delta;
	}
}

/*
 * An exec from a thread other than the leader: the kernel kills the other
 * threads, the old leader included, and swaps the ids of the exec'ing
 * thread and the old leader. Each keeps the id it had in its state until
 * its account is settled: the old leader closes its account under the
 * leader's id at its last switch-out (it is a zombie by then, so that comes
 * soon), and then the exec'ing thread's account moves to that id with its
 * whole history, at the exec or at its first switch-out after the old
 * leader's. Returns whether it moved.
 */
static __always_inline bool account_move(struct task_state *s)
{
	__u32 from = s->tid, to = s->next_tid;
	struct thread_stats *old, *other, moved;

	other = bpf_map_lookup_elem(&thread_stats, &to);
	if (other && !other->exited)
		return false; /* the old leader's, still open */
	if (other)
		count_drop(); /* a dead leader's account the queue could not take */
	old = bpf_map_lookup_elem(&thread_stats, &from);
	if (old) {
		__builtin_memcpy(&moved, old, sizeof(moved));
		moved.tid = to;
		if (bpf_map_update_elem(&thread_stats, &to, &moved, BPF_ANY))
			count_drop();
		bpf_map_delete_elem(&thread_stats, &from);
	}
	s->tid = to;
	s->next_tid = 0;
	return true;
}

/*
 * Closes the episode since the thread's last switch-out, at this one. CPU
 * and run-queue time come from the kernel's own per-task counters
 * (se.sum_exec_runtime, sched_info.run_delay: what /proc/PID/task/TID/
 * schedstat shows), so they are exact even when the kernel emits no
 * sched_switch for the thread's switch-in, which happens on these VMs
 * (README, "Known limits"). The rest of the episode's wall time is the wait
 * before the wakeup; otherwise it is time a hypervisor took from the vCPU
 * running the thread (steal, which the kernel leaves out of its counters):
 * CPU contention, so runq after a preemption.
 *
 * The counters tick on the scheduler's clock, read when __schedule() starts,
 * a few microseconds before this tracepoint: a preempted thread's run-queue
 * wait starts there, before the switch-out that ends its episode here. So an
 * episode's counters can exceed its wall time by that lag, and the next
 * episode's fall short by as much. The excess is carried as a debt that the
 * next episode's rest pays, so that the states of a thread add up to its
 * lifetime however often it is preempted.
 */
static __always_inline struct thread_stats *close_episode(struct task_struct *t,
							   struct task_state *s, __u64 now)
{
	struct tree_totals *tot = totals_get();
	__u64 exec = t->se.sum_exec_runtime;
	__u64 delay = t->sched_info.run_delay;
	__u64 dcpu = exec - s->exec_last, ddelay = delay - s->delay_last;
	__u64 gap = now - s->ts, rest = 0, used;
	struct thread_stats *st;

	/* an exec moved the thread to the leader's id, once the old leader's account closed */
	if (s->next_tid)
		account_move(s);
	st = stats_get(t, s, now);

	if (exec < s->exec_last)
		dcpu = 0;
	if (delay < s->delay_last)
		ddelay = 0;
	used = dcpu + ddelay + s->debt_ns;
	if (gap >= used) {
		rest = gap - used;
		s->debt_ns = 0;
	} else {
		s->debt_ns = used - gap < 0xffffffffULL ? used - gap : 0xffffffffU;
		if (tot && dcpu + ddelay > gap + 1000000)
			tot->anomalies++; /* the clocks disagree by more than 1 ms */
	}
	s->exec_last = exec;
	s->delay_last = delay;
	if (tot) {
		tot->events++;
		tot->cpu_ns += dcpu;
		tot->runq_ns += ddelay;
	}
	if (!st)
		return NULL;
	st->cpu_ns += dcpu;
	switch (s->state) {
	case TS_BLOCKED:
		/*
		 * sched_waking runs on the waker's CPU, beside this thread's own
		 * switch-out: when it saw the thread still running but wrote
		 * after the switch-out had looked, its note is in early_wake.
		 */
		if (!(s->wake & WAKE_SEEN))
			s->wake = __atomic_exchange_n(&s->early_wake, 0, __ATOMIC_RELAXED);
		st->runq_wakeup_ns += ddelay;
		/*
		 * The rest holds what the counters leave out after the wakeup too:
		 * the time to enqueue the thread on an idle CPU (a wakeup IPI; the
		 * run-queue delay starts at the enqueue) and, on kernels that
		 * account them apart, interrupts and steal while it ran. None of it
		 * can be told apart here (README, "Known limits").
		 */
		account_blocked(st, tot, s, rest);
		/* --stacks: the wait's time, at the stack it blocked in */
		if (stacks_on && s->stack) {
			struct stack_proc_key pk = { .tgid = member_tgid(t, s),
						     .mm_id = s->stack_mm };

			stack_add(&pk, s->stack, s->kstack, wait_cause(s), wake_is_internal(s),
				  rest);
		}
		s->stack = 0;
		s->kstack = 0;
		break;
	case TS_AFTER_WAKEUP:
		st->runq_wakeup_ns += ddelay;
		st->runq_preempt_ns += rest;
		if (tot)
			tot->runq_ns += rest;
		break;
	default:
		st->runq_preempt_ns += ddelay + rest;
		if (tot)
			tot->runq_ns += rest;
	}
	return st;
}

/* The switch-out of prev; cast: direct loads through bpf_rdonly_cast() (6.2+). */
static __always_inline int switch_out(void *ctx, bool preempt, struct task_struct *prev,
				      unsigned int prev_state, const bool cast)
{
	struct task_state *s = member_state(prev);
	struct thread_stats *st;
	__u64 now;

	/* only the thread leaving the CPU: its switch-in needs no event */
	if (!s || s->state == TS_NEW || s->state == TS_DEAD || stopped)
		return 0;
	now = bpf_ktime_get_ns();
	st = close_episode(prev, s, now);
	if (prev_state & TASK_DEAD_STATE) {
		__u32 tid = member_tid(prev, s);

		s->state = TS_DEAD;
		st = stats_get(prev, s, now);
		if (st) {
			st->exited = EXITED_QUEUED;
			st->end_ns = now;
			/* full queue: it stays here, for the drain's slower path */
			if (bpf_map_push_elem(&dead_threads, st, 0))
				st->exited = EXITED_IN_MAP;
			else
				bpf_map_delete_elem(&thread_stats, &tid);
		}
		if (tid == member_tgid(prev, s)) {
			struct proc_info *pi = bpf_map_lookup_elem(&proc_infos, &tid);

			if (pi && !bpf_map_push_elem(&dead_procs, pi, 0))
				bpf_map_delete_elem(&proc_infos, &tid);
		}
	} else if (!preempt && (prev_state & TASK_BLOCKING_BITS)) {
		classify_wait(prev, s, prev_state, cast);
		s->state = TS_BLOCKED;
		/* runs in prev's context: current's user stack is prev's */
		if (stacks_on) {
			struct stack_proc_key pk;

			stack_proc_of(prev, member_tgid(prev, s), &pk);
			s->stack = stack_take(ctx, prev, &pk);
			s->stack_mm = pk.mm_id;
			s->kstack = s->stack ? kstack_take(ctx) : 0;
		}
		/*
		 * A waker that ran before this switch-out already ended the wait.
		 * Taken with an exchange: a waker on another CPU may be writing
		 * the note now, and a note written after stays for the close of
		 * this wait (close_episode(), on_sched_wakeup()).
		 */
		s->wake = __atomic_exchange_n(&s->early_wake, 0, __ATOMIC_RELAXED);
	} else {
		s->state = TS_AFTER_PREEMPT;
		s->early_wake = 0;
	}
	s->ts = now;
	if (st && s->state != TS_DEAD) {
		/* the open episode, for the timeline (probes/sched.c, probe_sched_open_work()) */
		st->ep_ts = now;
		st->ep_exec_ns = s->exec_last;
		st->ep_delay_ns = s->delay_last;
		st->ep_kind = s->state != TS_BLOCKED ? EPISODE_RUNNING :
			      CAUSE_IS_IO(s->cause) ? EPISODE_BLOCKED_IO : EPISODE_BLOCKED;
		st->ep_cause = s->cause;
		st->ep_sys = s->sys;
	}
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	return switch_out(ctx, preempt, prev, prev_state, true);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_sched_switch_read, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	return switch_out(ctx, preempt, prev, prev_state, false);
}

/*
 * wake_info() of this wakeup, judged for a softirq: one runs on top of
 * whatever task it interrupts. A tree thread's loopback or Unix send runs
 * the receive softirq itself, inside its sending syscall; a network card's
 * receive softirq, or one that RPS raised on this CPU with an IPI, lands on
 * any task, often a busy sibling in user space. So a softirq wakeup is the
 * tree's own only when the task under it is in a syscall that sends: an fd
 * or socket call, or a close.
 */
static __always_inline __u32 waker(void)
{
	__u32 w = wake_info();
	struct pt_regs *regs;
	long nr;
	__u8 cls;

	if ((w & (WAKE_BY_TREE | WAKE_IN_SOFTIRQ)) != (WAKE_BY_TREE | WAKE_IN_SOFTIRQ))
		return w;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	nr = regs->orig_ax;
	cls = nr >= 0 && nr < NOT_IN_SYSCALL ? syscall_class[nr & (MAX_SYSCALLS - 1)] : CLASS_OTHER;
	if (cls != CLASS_FD && cls != CLASS_NET && cls != CLASS_CLOSE)
		w &= ~WAKE_BY_TREE;
	return w;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(on_sched_waking, struct task_struct *p)
{
	struct task_state *s = member_state(p);

	if (!s)
		return 0;
	switch (s->state) {
	case TS_BLOCKED:
		/* a second wakeup since the switch-out is for the next wait */
		if (!s->wake)
			s->wake = waker();
		else
			s->early_wake = waker();
		break;
	case TS_NEW:
	case TS_DEAD:
		break;
	default:
		/* woken while still on its way off CPU: see the switch-out */
		s->early_wake = waker();
	}
	return 0;
}

/*
 * A wakeup noted while its thread still ran (early_wake) is for the wait the
 * thread is about to block in only if it completes after that switch-out:
 * its waker then waits for the run-queue lock that __schedule() holds, or
 * for the thread to leave the CPU. One that completes first (here, while no
 * switch-out came between) ended a wait that never blocked: a wakeup
 * between set_current_state() and the condition check, or a second one
 * after the wakeup that ended the last wait. Its note is stale and would
 * name the waker of the next, unrelated wait.
 */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_sched_wakeup, struct task_struct *p)
{
	struct task_state *s = member_state(p);

	if (!s)
		return 0;
	/* a note written just after the switch-out looked is this wait's waker */
	if (s->state == TS_BLOCKED && !(s->wake & WAKE_SEEN))
		s->wake = __atomic_exchange_n(&s->early_wake, 0, __ATOMIC_RELAXED);
	else
		s->early_wake = 0;
	return 0;
}

static __always_inline void proc_info_copy(__u32 parent, __u32 child, __u32 ppid)
{
	struct proc_info *pi = bpf_map_lookup_elem(&proc_infos, &parent);
	struct proc_info z = {};

	if (pi) {
		__builtin_memcpy(&z, pi, sizeof(z));
	}
	z.pid = child;
	z.ppid = ppid;
	if (bpf_map_update_elem(&proc_infos, &child, &z, BPF_ANY))
		count_drop();
}

/* A task the parent, a member, made: a member from now on. */
static __always_inline int tree_adopt(struct task_struct *parent, struct task_struct *child)
{
	struct task_state *ps = member_state(parent);
	struct task_state *cs;
	__u64 now;

	if (!ps || stopped)
		return 0;
	/* marked before it has storage: no switch of it can see the one without the other */
	tree_pid_mark(child->pid);
	cs = bpf_task_storage_get(&tree, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!cs) {
		count_drop();
		return 0;
	}
	now = bpf_ktime_get_ns();
	cs->state = TS_AFTER_WAKEUP;
	cs->ts = now;
	cs->exec_last = child->se.sum_exec_runtime;
	cs->delay_last = child->sched_info.run_delay;
	cs->wake = 0;
	cs->early_wake = 0;
	cs->sys_enter_ns = 0;
	cs->tid = task_tid(child);
	cs->tgid = task_tgid(child);
	stats_create(child, cs, now);
	if (child->tgid != parent->tgid)
		proc_info_copy(member_tgid(parent, ps), member_tgid(child, cs),
			       member_tgid(parent, ps));
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	return tree_adopt(parent, child);
}

/*
 * io_uring's worker threads (io-wq) are made by create_io_thread(), which
 * emits no sched_process_fork: the task is caught as it is made, from the
 * member that makes it (the submitter, or another worker).
 */
SEC("tp_btf/task_newtask")
int BPF_PROG(on_task_newtask, struct task_struct *task, __u64 clone_flags)
{
	if (!(task->flags & PF_IO_WORKER))
		return 0;
	return tree_adopt(bpf_get_current_task_btf(), task);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_state *s = tree_state(p);
	struct thread_stats *st;
	struct proc_info *pi;
	unsigned long arg_start;
	__u32 tgid, new_tid;

	if (!s)
		return 0;
	/* an exec from a non-leader thread takes the leader's id */
	new_tid = task_tid(p);
	if (member_tid(p, s) != new_tid && new_tid) {
		s->next_tid = new_tid;
		account_move(s);
	}
	tgid = member_tgid(p, s);
	st = stats_get(p, s, bpf_ktime_get_ns());
	if (st)
		bpf_probe_read_kernel_str(st->comm, sizeof(st->comm), p->comm);
	pi = bpf_map_lookup_elem(&proc_infos, &tgid);
	if (!pi) {
		proc_info_copy(0, tgid, parent_tgid(p));
		pi = bpf_map_lookup_elem(&proc_infos, &tgid);
		if (!pi)
			return 0;
	}
	bpf_probe_read_kernel_str(pi->exe, sizeof(pi->exe), BPF_CORE_READ(bprm, filename));
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	bpf_probe_read_user_str(pi->argv0, sizeof(pi->argv0), (void *)arg_start);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_sched_process_exit, struct task_struct *p)
{
	struct task_state *s = tree_state(p);
	struct thread_stats *st;

	if (!s)
		return 0;
	st = stats_get(p, s, bpf_ktime_get_ns());
	if (st) {
		st->exit_code = BPF_CORE_READ(p, exit_code);
		/* threads rename themselves (prctl PR_SET_NAME): keep the last name */
		bpf_probe_read_kernel_str(st->comm, sizeof(st->comm), p->comm);
	}
	return 0;
}
