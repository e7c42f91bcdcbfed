// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The probe set of a run: the scheduler probes always, the connection
 * counter when the run has a cgroup, the per-syscall table with -S. A family
 * other than the scheduler's that fails to attach is reported in one line
 * and the run goes on without it.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h"

static int print_none(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* -v: libbpf's own messages, the verifier's log among them */
static int print_all(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels say EINVAL, and the pages fault as before */
#endif

/*
 * libbpf 1.1 reads the kernel's BTF (5.5 MB on 6.18) afresh for each object
 * that has tp_btf programs or CO-RE relocations, and holds it twice over
 * while it parses it: ~11 MB, freed at the end of each load. glibc serves
 * blocks that big with mmap() and gives them back at free(), so every load
 * faults its 11 MB in again, a cost that dominates start-up where page
 * faults are slow (VMs). Kept on the heap, the sched object's load leaves
 * the pages for the next ones; trimmed once all have loaded.
 */
static void heap_keep(void)
{
	size_t page = sysconf(_SC_PAGESIZE), len;
	struct stat st;
	void *block;

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	/*
	 * The first load would still fault the pages in one at a time (each
	 * fault ~15 us in a VM): the heap that two copies of the BTF take is
	 * made present in one call, and given to the heap to serve them.
	 */
	if (stat("/sys/kernel/btf/vmlinux", &st) || st.st_size <= 0 || st.st_size > (64 << 20))
		return;
	len = (2 * (size_t)st.st_size + (1 << 20)) / page * page;
	if (posix_memalign(&block, page, len))
		return;
	madvise(block, len, MADV_POPULATE_WRITE);
	free(block);
}

/* back to glibc's initial thresholds, and the kept pages given back */
static void heap_release(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	mallopt(M_TRIM_THRESHOLD, 128 << 10);
	malloc_trim(0);
}

struct probes {
	struct probe_sched *sched;
	struct probe_syscalls *syscalls;
	struct probe_conns *conns;
	struct probe_requests *requests;
	struct probe_stacks *stacks;
	char mode[64];
};

int probes_open(struct probes **out, const struct probes_opts *o, char *err, size_t errlen)
{
	struct probes *p = calloc(1, sizeof(*p));
	char why[256];
	int e;

	if (!p)
		return -ENOMEM;
	libbpf_set_print(o->verbose ? print_all : print_none);
	heap_keep();
	e = probe_sched_open(&p->sched, o->stacks, o->kernel_stacks, err, errlen);
	if (e) {
		heap_release();
		free(p);
		return e;
	}
	/* the report names the fallbacks chosen at load time */
	snprintf(p->mode, sizeof(p->mode), "%s",
		 probe_sched_direct_loads(p->sched) ? "sched" : "sched:probe-read");
	if (o->cgroup_fd >= 0) {
		if (probe_conns_open(&p->conns, o->cgroup_fd, probe_sched_tree_fd(p->sched), why,
				     sizeof(why)))
			fprintf(stderr, "advisor: %s; connections are not counted\n", why);
		else
			strcat(p->mode, "+sockops");
	}
	if (probe_requests_open(&p->requests, probe_sched_tree_fd(p->sched), why, sizeof(why)))
		fprintf(stderr, "advisor: %s; requests in flight are not counted\n", why);
	else
		strcat(p->mode, "+requests");
	if (o->syscalls) {
		if (probe_syscalls_open(&p->syscalls, probe_sched_tree_fd(p->sched), why,
					sizeof(why)))
			fprintf(stderr, "advisor: %s; no per-syscall table\n", why);
		else
			strcat(p->mode, "+syscalls");
	}
	if (o->stacks) {
		/* the waits' stacks come with the scheduler probes; this adds time on CPU and reads them */
		if (probe_stacks_open(&p->stacks, p->sched, o->kernel_stacks, why, sizeof(why)))
			fprintf(stderr, "advisor: %s; no stacks\n", why);
		else
			strcat(p->mode, o->kernel_stacks ? "+stacks+kernel" : "+stacks");
	}
	heap_release();
	*out = p;
	return 0;
}

void probes_destroy(struct probes *p)
{
	if (!p)
		return;
	probe_stacks_destroy(p->stacks);
	probe_syscalls_destroy(p->syscalls);
	probe_requests_destroy(p->requests);
	probe_conns_destroy(p->conns);
	probe_sched_destroy(p->sched);
	free(p);
}

int probes_seed_root(struct probes *p, pid_t pid, __u64 now)
{
	struct probe_seed seed = { .tid = pid, .pid = pid, .ppid = getpid(),
				   .state = TS_AFTER_WAKEUP, .ts = now, .sys = NOT_IN_SYSCALL };
	/* the account starts from the kernel's counters at the release */
	int e = probe_read_schedstat(pid, pid, &seed.exec_ns, &seed.delay_ns);

	return e ? e : probes_seed(p, &seed);
}

int probes_seed(struct probes *p, const struct probe_seed *seed)
{
	int e = probe_sched_seed(p->sched, seed);

	/* the new member may be remembered on a CPU as no member */
	if (!e)
		probe_syscalls_forget(p->syscalls);
	return e;
}

int probes_seed_proc(struct probes *p, const struct proc_info *pi)
{
	return probe_sched_seed_proc(p->sched, pi);
}

int probes_conns_open(struct probes *p, char *err, size_t errlen)
{
	int e;

	if (p->conns)
		return -EEXIST;
	e = probe_conns_open(&p->conns, -1, probe_sched_tree_fd(p->sched), err, errlen);
	if (!e)
		strcat(p->mode, "+sockops");
	return e;
}

int probes_conns_attach_cgroup(struct probes *p, int cgroup_fd, char *err, size_t errlen)
{
	return probe_conns_attach_cgroup(p->conns, cgroup_fd, err, errlen);
}

int probes_conns_seed(struct probes *p, pid_t pid, enum conns_seed what)
{
	return probe_conns_seed_pid(p->conns, pid, what);
}

void probes_conns_seeded(struct probes *p, const pid_t *pids, size_t nr)
{
	probe_conns_seeded(p->conns, pids, nr);
}

void probes_conns_drop(struct probes *p)
{
	char *s = strstr(p->mode, "+sockops");

	probe_conns_destroy(p->conns);
	p->conns = NULL;
	if (s)
		memmove(s, s + 8, strlen(s + 8) + 1);
}

bool probes_live(struct probes *p)
{
	return probe_sched_live(p->sched);
}

int probes_totals(struct probes *p, struct tree_totals *out)
{
	return probe_sched_totals(p->sched, out);
}

int probes_open_work(struct probes *p, __u64 now, __u64 min_age, struct timeline_bucket *out,
		     const struct span_ns **reclassified, size_t *nr_reclassified)
{
	return probe_sched_open_work(p->sched, now, min_age, out, reclassified, nr_reclassified);
}

int probes_drain(struct probes *p)
{
	probe_stacks_drain(p->stacks);
	return probe_sched_drain(p->sched);
}

int probes_collect(struct probes *p, struct profile *prof)
{
	struct tree_totals t;
	int e;

	e = probe_sched_collect(p->sched, prof);
	if (e)
		return e;
	if (p->syscalls) {
		e = probe_syscalls_collect(p->syscalls, prof);
		if (e)
			return e;
	}
	if (p->requests) {
		e = probe_requests_collect(p->requests, prof);
		if (e)
			return e;
	}
	if (p->stacks) {
		e = probe_stacks_collect(p->stacks, prof);
		if (e)
			return e;
	}
	if (p->conns) {
		e = probe_conns_collect(p->conns, prof);
		if (e)
			return e;
	}
	if (!probe_sched_totals(p->sched, &t)) {
		prof->overhead.events = t.events;
		prof->overhead.dropped = t.dropped;
		prof->overhead.anomalies = t.anomalies;
	}
	prof->overhead.recursion_misses = probe_sched_misses(p->sched);
	if (p->syscalls)
		prof->overhead.recursion_misses += probe_syscalls_misses(p->syscalls);
	/* events the kernel skipped are lost like dropped ones */
	prof->overhead.dropped += prof->overhead.recursion_misses;
	snprintf(prof->overhead.mode, sizeof(prof->overhead.mode), "%s", p->mode);
	return 0;
}
