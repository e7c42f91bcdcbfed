// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * I/O requests the tree keeps in flight: a block request from its queueing
 * (or issue) by a thread of the tree that submits it without waiting for it
 * (submits_async()) to its completion, an io_uring request from its
 * submission by one to its completion (io_uring's own tracepoints). A
 * program with many at once already overlaps its I/O, and its requests'
 * latency, not the short waits between completions, says how slow the I/O
 * is. The average number in flight over the run is the requests' total
 * latency over the run's length (Little's law), so no clock is shared
 * between CPUs here. Loaded on its own: a kernel without one of these
 * tracepoints loses only this.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "abi.h"
#include "hist.bpf.h"
#include "tree.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct request_start {
	__u64 ts;
	__u64 born; /* the block request's allocation time: which use of the address */
	__u32 kind;
	__u32 pad;
};

/* by the request's address */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_REQUESTS);
	__type(key, __u64);
	__type(value, struct request_start);
} in_flight SEC(".maps");

/*
 * Block requests other programs queued: blk-mq may dispatch them from the
 * context of whichever task runs the hardware queue, a thread of the tree
 * among them, so their issue must not look like the tree's direct issue.
 * LRU: a request that never came back to issue ages out.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} foreign SEC(".maps");

/* latency of each completed request, by kind */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_REQ_KINDS);
	__type(key, __u32);
	__type(value, struct wait_hist);
} request_hists SEC(".maps");

struct request_counts counts[NR_REQ_KINDS];

/*
 * Whether a block request followed in flight is still that request: its
 * address holds the same allocation (born) and the kernel still holds it (a
 * freed request's reference count is 0). The kernel does not report every
 * completion (README, Known limits), and an entry whose completion went
 * unseen stays until its address is used again.
 */
static __always_inline bool block_request_live(__u64 key, const struct request_start *v)
{
	struct request *rq = (struct request *)key;

	return BPF_CORE_READ(rq, start_time_ns) == v->born && BPF_CORE_READ(rq, ref.counter) > 0;
}

/* leaves the map: the caller that deleted the entry takes it out of the count */
static __always_inline bool leave(__u64 *key, struct request_counts *c)
{
	if (bpf_map_delete_elem(&in_flight, key))
		return false;
	__sync_fetch_and_add(&c->in_flight, -1);
	return true;
}

struct sweep {
	__s64 live;
};

/*
 * 0, but not to the verifier: a count that starts from a known value is
 * followed exactly through every iteration of the sweep, which never
 * converges
 */
volatile __s64 sweep_start;

static long sweep_one(struct bpf_map *map, __u64 *key, struct request_start *v, struct sweep *s)
{
	struct request_counts *c = &counts[REQ_BLOCK];

	if (v->kind != REQ_BLOCK)
		return 0;
	if (block_request_live(*key, v))
		s->live++;
	else if (leave(key, c))
		__sync_fetch_and_add(&c->missed, 1);
	return 0;
}

static __always_inline int started(void *req, __u32 kind, __u64 born)
{
	struct request_start v = { .ts = bpf_ktime_get_ns(), .born = born, .kind = kind };
	__u64 key = (__u64)req;
	struct request_counts *c;
	struct request_start *old;
	__s64 n;

	if (!tree_state(bpf_get_current_task_btf()) || kind >= NR_REQ_KINDS)
		return 0;
	c = &counts[kind];
	if (bpf_map_update_elem(&in_flight, &key, &v, BPF_NOEXIST)) {
		old = bpf_map_lookup_elem(&in_flight, &key);
		if (!old) {
			__sync_fetch_and_add(&c->dropped, 1);
			return 0;
		}
		/* a request issued again (requeued) is still the one in flight */
		if (old->born == born)
			return 0;
		/*
		 * The address is in use again after a completion that was not
		 * seen: the old entry is stale, and keeping its start would
		 * count the time between the two uses as latency. One leaves
		 * and one comes: the count in flight stays.
		 */
		old->ts = v.ts;
		old->born = born;
		__sync_fetch_and_add(&c->issued, 1);
		__sync_fetch_and_add(&c->missed, 1);
		return 0;
	}
	__sync_fetch_and_add(&c->issued, 1);
	n = __sync_fetch_and_add(&c->in_flight, 1) + 1;
	/*
	 * A new peak of block requests counts the ones still live: entries
	 * whose completion was not seen leave here (once a peak, so rarely
	 * after the program's first requests).
	 */
	if (kind == REQ_BLOCK && n > 0 && (__u64)n > c->peak) {
		struct sweep sw = { .live = sweep_start };

		bpf_for_each_map_elem(&in_flight, sweep_one, &sw, 0);
		n = sw.live;
	}
	/* racy, and a peak read one short at worst */
	if (n > 0 && (__u64)n > c->peak)
		c->peak = n;
	return 0;
}

/*
 * merged: the request went into another, whose completion stands for both.
 * born: as in started(). An entry of another use of the address is stale:
 * its completion was not seen, and this one is another program's request
 * (or one the tree did not keep in flight) that the kernel placed there
 * since. It leaves without a latency, which would be the time between the
 * two uses.
 */
static __always_inline int completed(void *req, bool merged, __u64 born)
{
	__u64 key = (__u64)req;
	struct request_start *v = bpf_map_lookup_elem(&in_flight, &key);
	struct request_counts *c;
	struct wait_hist *h;
	__u32 kind;

	if (!v)
		return 0;
	kind = v->kind < NR_REQ_KINDS ? v->kind : REQ_BLOCK;
	c = &counts[kind];
	if (v->born != born) {
		if (leave(&key, c))
			__sync_fetch_and_add(&c->missed, 1);
		return 0;
	}
	h = merged ? NULL : bpf_map_lookup_elem(&request_hists, &kind);
	if (h)
		wait_hist_add(h, bpf_ktime_get_ns() - v->ts);
	leave(&key, c);
	return 0;
}

#define PF_IO_WORKER_FLAG 0x10 /* io_uring's io-wq and SQPOLL threads (linux/sched.h) */
#define NR_IO_SUBMIT 209 /* x86_64 */
#define NR_IO_URING_ENTER 426

/*
 * Whether the current task submits I/O that it does not wait for: in
 * io_submit() (libaio) or io_uring_enter(), or an io_uring worker doing the
 * tree's io_uring work. A block request queued anywhere else belongs to a
 * synchronous wait: a read() or an fsync() the kernel splits into many
 * requests, the readahead of a page fault paging the program in. Those keep
 * several requests in flight on the program's behalf while it overlaps
 * nothing, and their time is in the disk waits already.
 */
static __always_inline bool submits_async(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	long nr = BPF_CORE_READ(regs, orig_ax);

	return nr == NR_IO_SUBMIT || nr == NR_IO_URING_ENTER || (t->flags & PF_IO_WORKER_FLAG);
}

/*
 * A block request starts when it is queued (insert: it may wait there for
 * the device's queue, which is part of its latency), or at its issue when
 * it goes to the driver directly; an issue of a queued one finds it there,
 * and one that another program queued, or a synchronous wait of the tree's,
 * is skipped (foreign).
 */
SEC("tp_btf/block_rq_insert")
int BPF_PROG(on_block_rq_insert, struct request *rq)
{
	__u64 key = (__u64)rq;
	__u8 one = 1;

	/* another program's, or one of a synchronous wait: not kept in flight by the tree */
	if (!tree_state(bpf_get_current_task_btf()) || !submits_async()) {
		bpf_map_update_elem(&foreign, &key, &one, BPF_ANY);
		return 0;
	}
	return started(rq, REQ_BLOCK, BPF_CORE_READ(rq, start_time_ns));
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(on_block_rq_issue, struct request *rq)
{
	__u64 key = (__u64)rq;

	if (bpf_map_lookup_elem(&foreign, &key)) {
		bpf_map_delete_elem(&foreign, &key);
		return 0;
	}
	if (!submits_async())
		return 0;
	return started(rq, REQ_BLOCK, BPF_CORE_READ(rq, start_time_ns));
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(on_block_rq_complete, struct request *rq)
{
	return completed(rq, false, BPF_CORE_READ(rq, start_time_ns));
}

/*
 * A queued request the I/O scheduler merged into another one (mq-deadline,
 * bfq) is freed without a completion of its own: it leaves here, or it
 * would stay in flight for the rest of the run. Linux 5.11+.
 */
SEC("tp_btf/block_rq_merge")
int BPF_PROG(on_block_rq_merge, struct request *rq)
{
	__u64 key = (__u64)rq;

	bpf_map_delete_elem(&foreign, &key);
	return completed(rq, true, BPF_CORE_READ(rq, start_time_ns));
}

/* io_uring_submit_req(req) since Linux 6.3; io_uring_submit_sqe(req, ...) before */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(on_io_uring_submit, void *req)
{
	return started(req, REQ_URING, 0);
}

SEC("tp_btf/io_uring_submit_sqe")
int BPF_PROG(on_io_uring_submit_sqe, void *req)
{
	return started(req, REQ_URING, 0);
}

/* io_uring_complete(ctx, req, ...): the request is the second argument on every kernel */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(on_io_uring_complete, void *ctx_, void *req)
{
	return completed(req, false, 0);
}
