// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the -S per-syscall table (bpf/syscalls.bpf.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h"
#include "syscalls.skel.h"

struct probe_syscalls {
	struct syscalls_bpf *skel;
	int ncpus;
};

/*
 * Every CPU forgets the task it remembered: done each time a task joins the
 * tree without being new (a seeded target may be remembered as no member).
 */
void probe_syscalls_forget(struct probe_syscalls *s)
{
	if (s)
		__atomic_fetch_add(&s->skel->bss->tree_gen, 1, __ATOMIC_SEQ_CST);
}

int probe_syscalls_open(struct probe_syscalls **out, int tree_fd, char *err, size_t errlen)
{
	struct probe_syscalls *s = calloc(1, sizeof(*s));
	int e;

	if (!s)
		return -ENOMEM;
	s->ncpus = libbpf_num_possible_cpus();
	s->skel = syscalls_bpf__open();
	if (!s->skel) {
		e = -errno;
		snprintf(err, errlen, "cannot open syscall probe: %s", strerror(-e));
		goto out_free;
	}
	/* share the tree's membership with the scheduler probes */
	e = bpf_map__reuse_fd(s->skel->maps.tree, tree_fd);
	if (e) {
		snprintf(err, errlen, "cannot share the tree map: %s", strerror(-e));
		goto out_destroy;
	}
	bpf_map__set_max_entries(s->skel->maps.tree_on_cpu, s->ncpus);
	e = syscalls_bpf__load(s->skel);
	if (e) {
		snprintf(err, errlen, "cannot load syscall probe: %s", strerror(-e));
		goto out_destroy;
	}
	e = syscalls_bpf__attach(s->skel);
	if (e) {
		snprintf(err, errlen, "cannot attach syscall probe (raw_tp sys_enter/sys_exit): %s",
			 strerror(-e));
		goto out_destroy;
	}
	*out = s;
	return 0;

out_destroy:
	syscalls_bpf__destroy(s->skel);
out_free:
	free(s);
	return e ? e : -EINVAL;
}

static int cmp_total_desc(const void *a, const void *b)
{
	const struct syscall_stat *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	return x->count > y->count ? -1 : x->count < y->count;
}

int probe_syscalls_collect(struct probe_syscalls *s, struct profile *prof)
{
	struct syscall_hist *v = calloc(s->ncpus, sizeof(*v));
	int fd = bpf_map__fd(s->skel->maps.syscall_hists);

	if (!v)
		return -ENOMEM;
	prof->syscalls = calloc(MAX_SYSCALLS, sizeof(*prof->syscalls));
	if (!prof->syscalls) {
		free(v);
		return -ENOMEM;
	}
	prof->syscalls_enabled = true;
	prof->nr_syscalls = 0;
	free(v);
	v = calloc((size_t)MAX_SYSCALLS * s->ncpus, sizeof(*v));
	if (!v || probe_percpu_array_read(fd, MAX_SYSCALLS, sizeof(*v), s->ncpus, v)) {
		free(v);
		return -ENOMEM;
	}
	for (__u32 nr = 0; nr < NOT_IN_SYSCALL; nr++) {
		struct syscall_stat ss = { .nr = nr };
		const struct syscall_hist *pc = v + (size_t)nr * s->ncpus;

		for (int c = 0; c < s->ncpus; c++) {
			ss.count += pc[c].count;
			ss.errors += pc[c].errors;
			ss.total_ns += pc[c].total_ns;
			if (pc[c].max_ns > ss.max_ns)
				ss.max_ns = pc[c].max_ns;
			for (int k = 0; k < MAX_SLOTS; k++)
				ss.hist[k] += pc[c].slots[k];
		}
		if (!ss.count)
			continue;
		syscall_name(nr, ss.name, sizeof(ss.name));
		prof->syscalls[prof->nr_syscalls++] = ss;
	}
	if (prof->nr_syscalls > 1)
		qsort(prof->syscalls, prof->nr_syscalls, sizeof(*prof->syscalls), cmp_total_desc);
	free(v);
	return 0;
}

__u64 probe_syscalls_misses(struct probe_syscalls *s)
{
	struct bpf_program *prog;
	__u64 n = 0;

	bpf_object__for_each_program(prog, s->skel->obj)
		n += probe_prog_misses(bpf_program__fd(prog));
	return n;
}

void probe_syscalls_destroy(struct probe_syscalls *s)
{
	if (!s)
		return;
	syscalls_bpf__destroy(s->skel);
	free(s);
}
