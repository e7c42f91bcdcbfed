// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the TCP connection counter (bpf/conns.bpf.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h" /* before the skeleton: it needs struct conn_totals */
#include "conns.skel.h"

struct probe_conns {
	struct conns_bpf *skel;
	struct bpf_link *link;
};

int probe_conns_open(struct probe_conns **out, int cgroup_fd, char *err, size_t errlen)
{
	struct probe_conns *c = calloc(1, sizeof(*c));
	int e;

	if (!c)
		return -ENOMEM;
	c->skel = conns_bpf__open_and_load();
	if (!c->skel) {
		e = -errno;
		snprintf(err, errlen, "cannot load connection probe: %s", strerror(-e));
		goto out_free;
	}
	c->link = bpf_program__attach_cgroup(c->skel->progs.on_sockops, cgroup_fd);
	if (!c->link) {
		e = -errno;
		snprintf(err, errlen, "cannot attach sock_ops to the run's cgroup: %s", strerror(-e));
		goto out_destroy;
	}
	*out = c;
	return 0;

out_destroy:
	conns_bpf__destroy(c->skel);
out_free:
	free(c);
	return e ? e : -EINVAL;
}

int probe_conns_collect(struct probe_conns *c, struct profile *prof)
{
	const struct conn_totals *t = &c->skel->bss->conns;
	int fd = bpf_map__fd(c->skel->maps.peers);
	struct peer_key key, next;
	void *prev = NULL;
	__u64 peers = 0;

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
	return 0;
}

void probe_conns_destroy(struct probe_conns *c)
{
	if (!c)
		return;
	bpf_link__destroy(c->link);
	conns_bpf__destroy(c->skel);
	free(c);
}
