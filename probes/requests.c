// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the requests in flight (bpf/requests.bpf.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h"
#include "requests.skel.h"
#include "util.h"

struct probe_requests {
	struct requests_bpf *skel;
	int ncpus;
	bool uring; /* io_uring's tracepoints were there */
};

/* uring: 0 none, 1 io_uring_submit_req (6.3+), 2 io_uring_submit_sqe (before) */
static int load(struct probe_requests *r, int tree_fd, int uring)
{
	int e;

	r->skel = requests_bpf__open();
	if (!r->skel)
		return -errno;
	bpf_program__set_autoload(r->skel->progs.on_io_uring_submit, uring == 1);
	bpf_program__set_autoload(r->skel->progs.on_io_uring_submit_sqe, uring == 2);
	bpf_program__set_autoload(r->skel->progs.on_io_uring_complete, uring != 0);
	/* share the tree's membership with the scheduler probes */
	e = bpf_map__reuse_fd(r->skel->maps.tree, tree_fd);
	if (!e)
		e = requests_bpf__load(r->skel);
	if (!e)
		e = requests_bpf__attach(r->skel);
	if (e) {
		requests_bpf__destroy(r->skel);
		r->skel = NULL;
	}
	return e;
}

int probe_requests_open(struct probe_requests **out, int tree_fd, char *err, size_t errlen)
{
	struct probe_requests *r = calloc(1, sizeof(*r));
	int e;

	if (!r)
		return -ENOMEM;
	r->ncpus = libbpf_num_possible_cpus();
	r->uring = true;
	e = load(r, tree_fd, 1);
	if (e && e != -EPERM)
		e = load(r, tree_fd, 2); /* before 6.3 (commit "io_uring: rename ... submit_req") */
	if (e && e != -EPERM) {
		/* a kernel without io_uring: block only */
		r->uring = false;
		e = load(r, tree_fd, 0);
	}
	if (e) {
		snprintf(err, errlen, "cannot load the request probes: %s", strerror(-e));
		free(r);
		return e;
	}
	*out = r;
	return 0;
}

int probe_requests_collect(struct probe_requests *r, struct profile *prof)
{
	struct wait_hist *v = calloc(r->ncpus, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (__u32 k = 0; k < NR_REQ_KINDS; k++) {
		struct request_stats *rs = &prof->requests[k];
		const struct request_counts *c = &r->skel->bss->counts[k];

		memset(rs, 0, sizeof(*rs));
		rs->counted = k != REQ_URING || r->uring;
		rs->issued = c->issued;
		rs->peak = c->peak;
		rs->dropped = c->dropped;
		rs->missed = c->missed;
		if (bpf_map_lookup_elem(bpf_map__fd(r->skel->maps.request_hists), &k, v))
			continue;
		for (int cpu = 0; cpu < r->ncpus; cpu++)
			probe_hist_merge(&rs->latency, &v[cpu]);
	}
	free(v);
	return 0;
}

void probe_requests_destroy(struct probe_requests *r)
{
	if (!r)
		return;
	requests_bpf__destroy(r->skel);
	free(r);
}
