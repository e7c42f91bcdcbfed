/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The only header the BPF programs and user space share: plain structs of
 * fixed-width fields, no pointers, units in the names.
 */
#ifndef ADVISOR_BPF_ABI_H
#define ADVISOR_BPF_ABI_H

/* log2 histogram slots: slot k holds waits in [2^k, 2^(k+1)) ns; the last
 * slot (2^39 ns, about 9 minutes) takes everything longer. */
#define MAX_SLOTS 40
/* x86_64 syscall numbers stay below 512; slot MAX_SYSCALLS - 1 holds waits
 * outside any syscall (major page faults, stops). */
#define MAX_SYSCALLS 512
#define NOT_IN_SYSCALL (MAX_SYSCALLS - 1)
/* slot of the waits of io_uring's worker threads (io-wq), which run no syscall */
#define IO_WORKER_WAIT (MAX_SYSCALLS - 2)
#define MAX_THREADS 65536
#define MAX_PROCS 32768
#define MAX_PEERS 16384
/* attach: the tree's TCP sockets followed at once, its listening ports */
#define MAX_TREE_SOCKS 65536
#define MAX_TREE_PORTS 1024
#define MAX_SEEDED_CONNS 16384
/* deaths between two drains (100 ms); more wait in thread_stats for the next */
#define MAX_DEAD_QUEUE 8192
#define COMM_LEN 16
#define EXE_LEN 128
#define ARGV0_LEN 64

/* Why a thread was off CPU and not runnable (README, "What is measured, and how"). */
enum cause {
	CAUSE_NET,
	CAUSE_DISK,
	CAUSE_POLL,
	CAUSE_LOCK,
	CAUSE_SLEEP,
	CAUSE_CHILD,
	CAUSE_IPC,
	CAUSE_OTHER,
	NR_CAUSES,
};

/*
 * The causes whose external time is I/O for the decision: a wait on the
 * network, the disk, an event loop's poll, or a pipe fed from outside the
 * tree. The one definition, for the BPF side and user space alike.
 */
#define IO_CAUSES ((1u << CAUSE_NET) | (1u << CAUSE_DISK) | (1u << CAUSE_POLL) | (1u << CAUSE_IPC))
/* The causes' names in the report, in enum order: an initialiser for user space. */
#define CAUSE_NAMES_INIT { "net", "disk", "poll", "lock", "sleep", "child", "ipc", "other" }
#define CAUSE_IS_IO(c) ((unsigned int)(c) < NR_CAUSES && (IO_CAUSES >> (c)) & 1u)

/*
 * What a syscall's wait means, set per syscall number by user space (names
 * resolved with libseccomp) into the BPF side's read-only table. CLASS_FD
 * syscalls take the cause from the kind of file behind their first argument.
 */
enum syscall_class {
	CLASS_OTHER,
	CLASS_FD,
	CLASS_NET,
	CLASS_DISK,
	CLASS_POLL,
	CLASS_LOCK,
	CLASS_SLEEP,
	CLASS_CHILD,
	CLASS_IPC,
	CLASS_OPEN, /* open*, path-based: disk */
	CLASS_CLOSE, /* close, close_range: a wait in them is disk; a socket's close sends */
};

/* Per-thread account, one entry of the thread_stats map keyed by tid. */
struct thread_stats {
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	/*
	 * 0 while the thread lives; once its last switch-out was seen,
	 * EXITED_QUEUED (the account is in the dead_threads queue, or on its
	 * way there) or EXITED_IN_MAP (the queue was full: it stays in
	 * thread_stats for user space to take)
	 */
	__u32 exited;
	__s32 exit_code; /* task->exit_code at exit: wait(2) status encoding */
	__u32 pad;
	__u64 start_ns; /* CLOCK_MONOTONIC */
	__u64 end_ns;
	__u64 cpu_ns;
	__u64 runq_wakeup_ns;
	__u64 runq_preempt_ns;
	__u64 blocked_ns[NR_CAUSES];
	__u64 internal_ns[NR_CAUSES];
	/*
	 * external waits on the same pipe or FIFO as the thread's previous
	 * external I/O wait: a stream fed at its producer's pace, a chain no
	 * rewrite of the reader shortens
	 */
	__u64 stream_ns;
	/*
	 * Written by user space only, at the final sweep: the I/O wait (a
	 * CAUSE_IS_IO cause) still open when the run ended, in blocked_ns too
	 */
	__u64 open_io_ns;
	/*
	 * The episode open since the last switch-out, for the timeline's
	 * running tally: its start, the kernel's counters then, and whether
	 * the thread blocked (EPISODE_*)
	 */
	__u64 ep_ts;
	__u64 ep_exec_ns;
	__u64 ep_delay_ns;
	__u32 ep_kind;
	__u16 ep_cause; /* a blocked episode's cause and syscall */
	__u16 ep_sys;
	char comm[COMM_LEN];
};

#define EPISODE_RUNNING 0 /* preempted or woken: on a CPU or waiting for one */
#define EPISODE_BLOCKED_IO 1 /* blocked on an I/O cause */
#define EPISODE_BLOCKED 2 /* blocked on another cause */

#define EXITED_QUEUED 1
#define EXITED_IN_MAP 2

/* Per-process identity, keyed by tgid; written at fork and exec. */
struct proc_info {
	__u32 pid;
	__u32 ppid;
	char exe[EXE_LEN];
	char argv0[ARGV0_LEN];
};

struct wait_hist {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u64 slots[MAX_SLOTS];
};

/* Per syscall with -S: latency of every call, not only waits. */
struct syscall_hist {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
	__u64 slots[MAX_SLOTS];
};

/*
 * I/O requests the tree has in flight, by kind: block requests it issues,
 * and io_uring requests it submits (which may be network or file I/O).
 */
enum request_kind {
	REQ_BLOCK,
	REQ_URING,
	NR_REQ_KINDS,
};
#define MAX_REQUESTS 65536
#define REQUEST_NAMES_INIT { "block", "io_uring" }

struct request_counts {
	__u64 issued;
	__u64 peak; /* most in flight at once */
	__u64 dropped; /* not followed: the map of requests in flight was full */
	__u64 missed; /* completions not seen: found when the address was used again */
	__s64 in_flight;
};

/*
 * -S: whether the task that made a CPU's last syscall is the tree's
 * (bpf/syscalls.bpf.c), and which task that was. A cache line each, so that
 * one CPU's writes do not disturb the others'.
 */
struct cpu_flag {
	__u64 task; /* struct task_struct address */
	__u64 pid_tgid;
	__u32 tree;
	__u32 gen; /* the tree's generation it was looked up in */
	__u8 pad[40];
};

/*
 * The tree's external waits on one pipe or FIFO (keyed by its struct file),
 * whichever threads waited: their union in time after the first wait on it,
 * the stream its producer feeds at its own pace. Waits are added as they
 * end; each adds only its part after covered_to, so the sum never counts a
 * moment twice (it can fall short of the union when a wait that began
 * earlier ends later).
 */
#define MAX_PIPES 1024

struct pipe_stream {
	__u64 covered_to; /* bpf_ktime_get_ns() of the latest end added */
	__u64 ns;
};

/* Running totals of the whole tree, read once per timeline bucket. */
struct tree_totals {
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 io_ns; /* external net + disk + poll + ipc */
	__u64 other_ns; /* every other blocked time */
	__u64 events;
	__u64 dropped;
	__u64 anomalies; /* transitions out of an unexpected state */
};

struct conn_totals {
	__u64 accepted;
	__u64 connected;
	__u64 closed;
	__s64 open;
	__u64 peak_open;
	__u64 peers_dropped;
	__u64 unix_connected;
	__u64 open_at_start; /* attach: the tree's established connections found then */
	__u64 untracked; /* attach: accepted but not counted, tree_socks was full */
};

/*
 * attach: an established connection of the tree found at the attach, by its
 * network namespace and 4-tuple, whose close is seen by inet_sock_set_state.
 */
struct conn_tuple {
	__u8 laddr[16]; /* IPv4 as IPv4-mapped IPv6 */
	__u8 raddr[16];
	__u32 netns; /* inode of the socket's network namespace */
	__u16 lport; /* host order */
	__u16 rport; /* host order */
};

/* Key of the distinct-peers set: IPv4 is stored as IPv4-mapped IPv6. */
struct peer_key {
	__u8 addr[16];
	__u32 port; /* 0 for accepted connections: a client's port says nothing */
};

/*
 * A member thread's state machine, in task-local storage (bpf/tree.bpf.h).
 * It changes only at the thread's own switch-outs: the episode since the
 * last one is then closed with the kernel's own counters (see sched.bpf.c).
 */
enum thread_state {
	TS_NEW, /* an entry not set up (all zero): nothing is counted for it */
	TS_AFTER_WAKEUP, /* since the last switch-out: woken (or forked), ran */
	TS_AFTER_PREEMPT, /* since the last switch-out: runnable, ran */
	TS_BLOCKED, /* since the last switch-out: blocked, woken, ran */
	TS_DEAD,
};

/* What sched_waking saw of the waker, judged at the next switch-out. */
#define WAKE_SEEN 0x1
#define WAKE_BY_TREE 0x2
#define WAKE_IN_SOFTIRQ 0x4
#define WAKE_IN_HARDIRQ 0x8
#define WAKE_IN_TIMER 0x10

struct task_state {
	__u64 ts; /* last switch-out (or fork, release, attach), CLOCK_MONOTONIC ns */
	__u64 exec_last; /* task->se.sum_exec_runtime then */
	__u64 delay_last; /* task->sched_info.run_delay then */
	__u32 state;
	__u32 cause;
	__u32 sys; /* syscall the thread blocked in, or NOT_IN_SYSCALL */
	__u32 loopback; /* blocked on a Unix or loopback socket */
	__u32 wake; /* WAKE_* of the wakeup that ended the wait */
	__u32 early_wake; /* WAKE_* of a wakeup seen before the switch-out (see sched.bpf.c) */
	__u32 sys_nr; /* -S: syscall in progress */
	/*
	 * ns the kernel's counters ran ahead of the episodes' wall time: owed
	 * by the next episode's rest (see close_episode() in sched.bpf.c)
	 */
	__u32 debt_ns;
	__u64 sys_enter_ns; /* -S: its entry time, 0 when none */
	/*
	 * The task's ids in advisor's pid namespace, taken while it lives: a
	 * thread's pid is released before its last switch-out (0: not yet read)
	 */
	__u32 tid;
	__u32 tgid;
	__u32 next_tid; /* the id an exec gave it, while its account waits to move there */
	/* --stacks: bpf_get_stackid() + 1 of the blocked wait's user stack, 0 for none */
	__u32 stack;
	__u32 stack_mm; /* --stacks: its address space's mm_id (struct stack_proc_key) */
	__u32 kstack; /* --kernel-stacks: bpf_get_stackid() + 1 of its kernel stack, 0 for none */
	__u64 fifo; /* the pipe or FIFO (struct file address) the thread blocks on, or 0 */
	__u64 last_fifo; /* the one of its previous external I/O wait, or 0 */
};

/*
 * --stacks (bpf/stacks.bpf.h): user stacks of the tree's waits and of its
 * samples on CPU, aggregated in the kernel by process, stack, cause and
 * internal/external. Frame pointers give the stack id; one copy of the
 * registers and the top of the stack per (process, stack id) lets user
 * space unwind again with DWARF CFI where the code has no frame pointers.
 * With --kernel-stacks the kernel stack is in the key too, from the same map.
 */
#define STACK_DEPTH 64 /* frames the kernel walks */
#define MAX_STACK_IDS 8192 /* distinct stacks in the stack trace map */
#define MAX_STACK_KEYS 16384 /* (process, stack, cause, internal) aggregates */
#define MAX_STACK_SAMPLES 2048 /* register and stack copies */
#define MAX_STACK_PROCS 4096 /* processes with stacks, for user space to map */
#define STACK_COPY 2048 /* bytes of the user stack copied from its pointer up */
#define STACK_CAUSE_CPU NR_CAUSES /* cause of an on-CPU sample */
#define STACK_REGS 17 /* x86_64 DWARF registers 0-16: rax..r15, then rip */

/*
 * A process's address space: its tgid, and an id of its mm (which an exec
 * replaces) so that stacks from before and after an exec are read against
 * the mappings of their own program.
 */
struct stack_proc_key {
	__u32 tgid;
	__u32 mm_id;
};

struct stack_key {
	struct stack_proc_key proc;
	__s32 stack_id;
	__u32 cause; /* enum cause, or STACK_CAUSE_CPU */
	__u32 internal; /* waits: a thread of the tree ended it */
	__s32 kstack_id; /* --kernel-stacks: the kernel stack's id in stack_traces, or -1 */
};

struct stack_value {
	__u64 time_ns;
	__u64 count;
};

struct stack_sample_key {
	struct stack_proc_key proc;
	__s32 stack_id;
};

struct stack_sample {
	__u64 regs[STACK_REGS]; /* user registers, DWARF numbering */
	__u32 size; /* bytes of data, copied from regs[7] (rsp) up */
	__u32 pad;
	__u8 data[STACK_COPY];
};

#endif /* ADVISOR_BPF_ABI_H */
