// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the TCP connection counter (bpf/conns.bpf.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes.h" /* before the skeleton: it needs struct conn_totals */
#include "conns.skel.h"

/* attach: the cgroups the programs sit on, each with sockops, connect4/6 and unix */
#define MAX_ATTACHED_CGROUPS 16
#define NR_CGROUP_PROGS 4

struct probe_conns {
	struct conns_bpf *skel;
	struct bpf_link *link;
	struct bpf_link *unix_link; /* NULL when the kernel has no connect_unix hook */
	bool tree_only; /* attach: see bpf/conns.bpf.c */
	struct bpf_link *cg_links[MAX_ATTACHED_CGROUPS][NR_CGROUP_PROGS];
	int nr_cgroups;
	bool unix_ok; /* attach: connect_unix is on every cgroup */
	struct bpf_link *state_link; /* attach: the seeded connections' closes */
	__u64 nr_seeded;
};

/* enum bpf_attach_type of Linux 6.7, newer than libbpf 1.1's headers */
#define ADVISOR_CGROUP_UNIX_CONNECT 49

/* Opens and loads the skeleton, with or without the connect_unix program. */
static int load(struct probe_conns *c, int tree_fd, bool with_unix)
{
	struct conns_bpf *skel = conns_bpf__open();
	int e;

	if (!skel)
		return -errno;
	skel->rodata->tree_only = c->tree_only;
	/* run: every socket of the run's cgroup counts, nothing to filter */
	bpf_program__set_autoload(skel->progs.on_connect4, c->tree_only);
	bpf_program__set_autoload(skel->progs.on_connect6, c->tree_only);
	bpf_program__set_autoload(skel->progs.on_sock_set_state, c->tree_only);
	if (with_unix)
		bpf_program__set_expected_attach_type(skel->progs.on_connect_unix,
						      ADVISOR_CGROUP_UNIX_CONNECT);
	else
		bpf_program__set_autoload(skel->progs.on_connect_unix, false);
	/* share the tree's membership with the scheduler probes */
	e = bpf_map__reuse_fd(skel->maps.tree, tree_fd);
	if (!e)
		e = conns_bpf__load(skel);
	if (e) {
		conns_bpf__destroy(skel);
		return e;
	}
	c->skel = skel;
	return 0;
}

int probe_conns_open(struct probe_conns **out, int cgroup_fd, int tree_fd, char *err,
		     size_t errlen)
{
	struct probe_conns *c = calloc(1, sizeof(*c));
	int e;

	if (!c)
		return -ENOMEM;
	c->tree_only = cgroup_fd < 0;
	e = load(c, tree_fd, true);
	/* a kernel before 6.7 has no connect_unix hook: TCP alone then */
	if (e)
		e = load(c, tree_fd, false);
	if (e) {
		snprintf(err, errlen, "cannot load connection probe: %s", strerror(-e));
		goto out_free;
	}
	if (c->tree_only) {
		/* before any seeding: a close between reading /proc and the map is seen */
		c->state_link = bpf_program__attach(c->skel->progs.on_sock_set_state);
		if (!c->state_link) {
			e = -errno;
			snprintf(err, errlen, "cannot attach inet_sock_set_state: %s",
				 strerror(-e));
			goto out_destroy;
		}
		*out = c;
		return 0;
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

int probe_conns_attach_cgroup(struct probe_conns *c, int cgroup_fd, char *err, size_t errlen)
{
	struct bpf_program *progs[NR_CGROUP_PROGS] = {
		c->skel->progs.on_sockops, c->skel->progs.on_connect4,
		c->skel->progs.on_connect6, c->skel->progs.on_connect_unix };
	struct bpf_link **links;
	int e;

	if (!c->tree_only)
		return -EINVAL;
	if (c->nr_cgroups == MAX_ATTACHED_CGROUPS) {
		snprintf(err, errlen, "the tree spans more than %d cgroups", MAX_ATTACHED_CGROUPS);
		return -E2BIG;
	}
	if (!c->nr_cgroups)
		c->unix_ok = bpf_program__fd(progs[3]) >= 0;
	links = c->cg_links[c->nr_cgroups++];
	/* a link attaches with BPF_F_ALLOW_MULTI: beside the cgroup's own programs */
	for (int i = 0; i < NR_CGROUP_PROGS; i++) {
		if (i == 3 && !c->unix_ok)
			break;
		links[i] = bpf_program__attach_cgroup(progs[i], cgroup_fd);
		if (links[i])
			continue;
		e = -errno;
		if (i == 3) {
			/* Unix connects are then reported as not counted */
			c->unix_ok = false;
			break;
		}
		snprintf(err, errlen, "cannot attach %s to the tree's cgroup: %s",
			 bpf_program__name(progs[i]), strerror(-e));
		return e;
	}
	return 0;
}

/* A TCP socket of /proc/PID/net/tcp{,6}. */
struct tcp_row {
	struct conn_tuple t;
	unsigned long inode;
	unsigned int state; /* TCP_ESTABLISHED... as the kernel numbers them */
};

struct tcp_table {
	struct tcp_row *rows;
	size_t nr, cap;
};

/* /proc shows each 32-bit word of an address in hex, as the host stores it */
static int parse_addr(const char *hex, __u8 *addr)
{
	size_t n = strlen(hex);
	__u32 w;

	if (n != 8 && n != 32)
		return -EINVAL;
	memset(addr, 0, 16);
	if (n == 8) {
		addr[10] = addr[11] = 0xff;
		if (sscanf(hex, "%8x", &w) != 1)
			return -EINVAL;
		memcpy(addr + 12, &w, 4);
		return 0;
	}
	for (int i = 0; i < 4; i++) {
		char word[9];

		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		if (sscanf(word, "%8x", &w) != 1)
			return -EINVAL;
		memcpy(addr + 4 * i, &w, 4);
	}
	return 0;
}

#define ROW_FORMAT " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %*u %*u %lu"

/* Adds the rows of /proc/PID/net/tcp and tcp6 (the pid's network namespace) to tab. */
static int tcp_table_read(struct tcp_table *tab, pid_t pid, __u32 netns)
{
	static const char *const files[] = { "tcp", "tcp6" };
	char path[64], line[512], la[40], ra[40];

	for (int f = 0; f < 2; f++) {
		FILE *fp;

		snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, files[f]);
		fp = fopen(path, "re");
		if (!fp)
			continue; /* no IPv6 */
		while (fgets(line, sizeof(line), fp)) {
			struct tcp_row r = { .t.netns = netns };
			unsigned int lp, rp;
			struct tcp_row *n;

			/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
			if (sscanf(line, ROW_FORMAT, la, &lp, ra, &rp, &r.state, &r.inode) != 6 ||
			    parse_addr(la, r.t.laddr) || parse_addr(ra, r.t.raddr))
				continue;
			r.t.lport = lp;
			r.t.rport = rp;
			if (tab->nr == tab->cap) {
				n = realloc(tab->rows, (tab->cap ? 2 * tab->cap : 64) * sizeof(*n));
				if (!n) {
					fclose(fp);
					return -ENOMEM;
				}
				tab->rows = n;
				tab->cap = tab->cap ? 2 * tab->cap : 64;
			}
			tab->rows[tab->nr++] = r;
		}
		fclose(fp);
	}
	return 0;
}

/* TCP states numbered as in include/net/tcp_states.h */
enum { ST_ESTABLISHED = 1, ST_LISTEN = 10 };

/* Whether a socket in state st, held by a process, is open as sock_ops counts it. */
static bool state_open(unsigned int st)
{
	/* established up to its close: FIN_WAIT1/2, CLOSE_WAIT, LAST_ACK, CLOSING */
	return st == ST_ESTABLISHED || st == 4 || st == 5 || st == 8 || st == 9 || st == 11;
}

static int netns_of(pid_t pid, __u32 *netns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &st))
		return -errno;
	*netns = st.st_ino;
	return 0;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The inodes of the sockets in pid's fd table, sorted; caller frees *out. */
static int socket_inodes(pid_t pid, unsigned long **out, size_t *nr)
{
	char path[48], link[64];
	size_t cap = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*nr = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char fdpath[64 + 256];
		unsigned long ino;
		ssize_t n;

		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, de->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		if (*nr == cap) {
			unsigned long *m = realloc(*out, (cap ? 2 * cap : 64) * sizeof(*m));

			if (!m) {
				closedir(d);
				return -ENOMEM;
			}
			*out = m;
			cap = cap ? 2 * cap : 64;
		}
		(*out)[(*nr)++] = ino;
	}
	closedir(d);
	if (*nr)
		qsort(*out, *nr, sizeof(**out), cmp_ulong);
	return 0;
}

int probe_conns_seed_pid(struct probe_conns *c, pid_t pid, enum conns_seed what)
{
	int seeded_fd = bpf_map__fd(c->skel->maps.seeded);
	int ports_fd = bpf_map__fd(c->skel->maps.tree_ports);
	struct tcp_table tab = {};
	unsigned long *inodes;
	size_t nr_inodes;
	__u8 one = 1;
	__u32 netns = 0;
	int e;

	if (!c->tree_only)
		return -EINVAL;
	e = netns_of(pid, &netns);
	if (!e)
		e = socket_inodes(pid, &inodes, &nr_inodes);
	if (e)
		return e == -ENOENT ? 0 : e; /* gone: nothing of it to count */
	if (nr_inodes)
		e = tcp_table_read(&tab, pid, netns);
	for (size_t i = 0; !e && i < tab.nr; i++) {
		const struct tcp_row *r = &tab.rows[i];
		__u32 port = r->t.lport;

		if (!bsearch(&r->inode, inodes, nr_inodes, sizeof(*inodes), cmp_ulong))
			continue;
		if (what == CONNS_SEED_LISTENING && r->state == ST_LISTEN)
			bpf_map_update_elem(ports_fd, &port, &one, BPF_ANY);
		/* NOEXIST: a socket shared by several processes is one connection */
		if (what == CONNS_SEED_OPEN && state_open(r->state) &&
		    !bpf_map_update_elem(seeded_fd, &r->t, &one, BPF_NOEXIST))
			c->nr_seeded++;
	}
	free(tab.rows);
	free(inodes);
	return e;
}

/*
 * A seeded connection that closed between the read of /proc and its entry
 * in the map is gone before its close could be seen: the second read finds
 * it no longer open, and the one that takes its entry out uncounts it.
 */
static void seeded_recheck(struct probe_conns *c, pid_t pid)
{
	int fd = bpf_map__fd(c->skel->maps.seeded);
	struct conn_tuple key, next;
	struct tcp_table tab = {};
	void *prev = NULL;
	__u32 netns = 0;

	if (netns_of(pid, &netns) || tcp_table_read(&tab, pid, netns))
		goto out;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		bool open = false;

		key = next;
		prev = &key;
		if (key.netns != netns)
			continue;
		for (size_t i = 0; i < tab.nr && !open; i++)
			open = state_open(tab.rows[i].state) &&
			       !memcmp(&tab.rows[i].t, &key, sizeof(key));
		if (!open && !bpf_map_delete_elem(fd, &key))
			c->nr_seeded--;
	}
out:
	free(tab.rows);
}

void probe_conns_seeded(struct probe_conns *c, const pid_t *pids, size_t nr)
{
	volatile struct conn_totals *t = &c->skel->bss->conns;
	__u32 seen[8];
	size_t nr_seen = 0;

	if (!c->tree_only)
		return;
	/* once per network namespace of the tree */
	for (size_t i = 0; i < nr && c->nr_seeded; i++) {
		__u32 netns = 0;
		size_t k;

		if (netns_of(pids[i], &netns))
			continue;
		for (k = 0; k < nr_seen && seen[k] != netns; k++)
			;
		if (k < nr_seen)
			continue;
		if (nr_seen < 8)
			seen[nr_seen++] = netns;
		seeded_recheck(c, pids[i]);
	}
	if (!c->nr_seeded) {
		bpf_link__destroy(c->state_link);
		c->state_link = NULL;
	}
	t->open_at_start = c->nr_seeded;
	/* the programs may count already: both are shared with them */
	__s64 now_open = __sync_add_and_fetch(&t->open, (__s64)c->nr_seeded);

	for (int i = 0; i < 8; i++) {
		__u64 peak = t->peak_open;

		if (now_open <= (__s64)peak ||
		    __sync_val_compare_and_swap(&t->peak_open, peak, now_open) == peak)
			break;
	}
}

/*
 * A socket's last state change can come just after its process was reaped
 * (the kernel ends a loopback connection's other half in softirq): while
 * connections are open, wait for their count to settle, up to
 * CLOSE_SETTLE_MS, still for CLOSE_STILL_MS. 40,000 connections closing at
 * once under ASan on a loaded machine left one close 20 ms behind the rest;
 * a run whose tree keeps connections open (attach) pays CLOSE_STILL_MS once.
 */
#define CLOSE_SETTLE_MS 1000
#define CLOSE_STILL_MS 100
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
	prof->conns.unix_counted = c->tree_only ? c->unix_ok : c->unix_link != NULL;
	prof->conns.unix_connected = t->unix_connected;
	prof->conns.open_at_start = t->open_at_start;
	return 0;
}

void probe_conns_destroy(struct probe_conns *c)
{
	if (!c)
		return;
	bpf_link__destroy(c->unix_link);
	bpf_link__destroy(c->link);
	for (int i = 0; i < c->nr_cgroups; i++)
		for (int k = 0; k < NR_CGROUP_PROGS; k++)
			bpf_link__destroy(c->cg_links[i][k]);
	bpf_link__destroy(c->state_link);
	conns_bpf__destroy(c->skel);
	free(c);
}
