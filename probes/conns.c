// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the TCP connection counter (bpf/conns.bpf.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h" /* before the skeleton: it needs struct conn_totals */
#include "conns.skel.h"

struct probe_conns {
	struct conns_bpf *skel;
	struct bpf_link *link;
	struct bpf_link *unix_link; /* NULL when the kernel has no connect_unix hook */
};

/* enum bpf_attach_type of Linux 6.7, newer than libbpf 1.1's headers */
#define ADVISOR_CGROUP_UNIX_CONNECT 49

int probe_conns_open(struct probe_conns **out, int cgroup_fd, char *err, size_t errlen)
{
	struct probe_conns *c = calloc(1, sizeof(*c));
	int e;

	if (!c)
		return -ENOMEM;
	c->skel = conns_bpf__open();
	if (!c->skel) {
		e = -errno;
		snprintf(err, errlen, "cannot open connection probe: %s", strerror(-e));
		goto out_free;
	}
	bpf_program__set_expected_attach_type(c->skel->progs.on_connect_unix,
					      ADVISOR_CGROUP_UNIX_CONNECT);
	e = conns_bpf__load(c->skel);
	if (e) {
		/* a kernel before 6.7 has no connect_unix hook: TCP alone then */
		bpf_program__set_autoload(c->skel->progs.on_connect_unix, false);
		conns_bpf__destroy(c->skel);
		c->skel = conns_bpf__open();
		if (!c->skel) {
			e = -errno;
			snprintf(err, errlen, "cannot open connection probe: %s", strerror(-e));
			goto out_free;
		}
		bpf_program__set_autoload(c->skel->progs.on_connect_unix, false);
		e = conns_bpf__load(c->skel);
	}
	if (e) {
		snprintf(err, errlen, "cannot load connection probe: %s", strerror(-e));
		goto out_destroy;
	}
	c->link = bpf_program__attach_cgroup(c->skel->progs.on_sockops, cgroup_fd);
	if (!c->link) {
		e = -errno;
		snprintf(err, errlen, "cannot attach sock_ops to the run's cgroup: %s", strerror(-e));
		goto out_destroy;
	}
	if (bpf_program__fd(c->skel->progs.on_connect_unix) >= 0) {
		/* NULL on failure: Unix connects are then reported as not counted */
		c->unix_link = bpf_program__attach_cgroup(c->skel->progs.on_connect_unix, cgroup_fd);
	}
	*out = c;
	return 0;

out_destroy:
	conns_bpf__destroy(c->skel);
out_free:
	free(c);
	return e ? e : -EINVAL;
}

/*
 * A socket's last state change can come just after its process was reaped
 * (the kernel ends a loopback connection's other half in softirq): while
 * connections are open and their count still moves, wait for it to settle,
 * up to CLOSE_SETTLE_MS, still for CLOSE_STILL_MS.
 */
#define CLOSE_SETTLE_MS 100
#define CLOSE_STILL_MS 20
static void settle_closes(const volatile struct conn_totals *t)
{
	__s64 last = t->open;

	for (int ms = 0, still = 0; ms < CLOSE_SETTLE_MS && t->open > 0 && still < CLOSE_STILL_MS;
	     ms++) {
		usleep(1000);
		still = t->open == last ? still + 1 : 0;
		last = t->open;
	}
}

int probe_conns_collect(struct probe_conns *c, struct profile *prof)
{
	const struct conn_totals *t = &c->skel->bss->conns;
	int fd = bpf_map__fd(c->skel->maps.peers);
	struct peer_key key, next;
	void *prev = NULL;
	__u64 peers = 0;

	settle_closes(&c->skel->bss->conns);
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		peers++;
	}
	prof->conns.tcp_counted = true;
	prof->conns.accepted = t->accepted;
	prof->conns.connected = t->connected;
	prof->conns.closed = t->closed;
	prof->conns.peak_open = t->peak_open;
	prof->conns.distinct_peers = peers + t->peers_dropped;
	prof->conns.unix_counted = c->unix_link != NULL;
	prof->conns.unix_connected = t->unix_connected;
	return 0;
}

void probe_conns_destroy(struct probe_conns *c)
{
	if (!c)
		return;
	bpf_link__destroy(c->unix_link);
	bpf_link__destroy(c->link);
	conns_bpf__destroy(c->skel);
	free(c);
}
