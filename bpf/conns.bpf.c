// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP connections of the tree, from a sock_ops program on the cgroup made
 * for the run: it sees exactly the sockets of the tree's processes (an
 * accepted socket inherits its listener's cgroup) and nothing else's.
 *
 * attach (tree_only): the programs sit on the cgroups the tree's processes
 * already live in, beside other processes, so a socket counts only when it
 * is the tree's: a connection the tree made (its cookie recorded by the
 * connect hook, which runs in the connecting task), or one accepted on a
 * port the tree listens on. The established callbacks usually run in
 * softirq, where current is not the tree: only the cookie and the port can
 * tell there. Every count is taken once per socket, by its cookie, so a
 * socket whose programs run twice (cgroups nested) still counts once.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "abi.h"
#include "tree.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10

struct conn_totals conns = {};

/* attach: count only the tree's sockets (see above); set before load */
const volatile __u32 tree_only = 0;

enum { SOCK_CONNECTING = 1, SOCK_OPEN = 2 };

/* attach: the tree's sockets, by cookie, from its connect() to their close */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_TREE_SOCKS);
	__type(key, __u64);
	__type(value, __u32); /* SOCK_*: 32 bits for the compare-and-swap */
} tree_socks SEC(".maps");

/* attach: the ports the tree listens on (host order) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TREE_PORTS);
	__type(key, __u32);
	__type(value, __u8);
} tree_ports SEC(".maps");

/* attach: the tree's connections established before it, until they close */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_SEEDED_CONNS);
	__type(key, struct conn_tuple);
	__type(value, __u8);
} seeded SEC(".maps");

static __always_inline bool current_in_tree(void)
{
	return tree_state(bpf_get_current_task_btf()) != NULL;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, MAX_PEERS);
	__type(key, struct peer_key);
	__type(value, __u8);
} peers SEC(".maps");

static __always_inline void opened(void)
{
	__s64 now_open = __sync_fetch_and_add(&conns.open, 1) + 1;

	/* a bounded compare-and-swap loop keeps the peak exact under races */
	for (int i = 0; i < 8; i++) {
		__u64 peak = conns.peak_open;

		if (now_open <= (__s64)peak)
			break;
		if (__sync_val_compare_and_swap(&conns.peak_open, peak, now_open) == peak)
			break;
	}
}

static __always_inline void peer_add(struct bpf_sock_ops *skops, bool with_port)
{
	struct peer_key key = {};
	__u8 one = 1;

	if (skops->family == AF_INET) {
		__u32 a = skops->remote_ip4;

		key.addr[10] = 0xff;
		key.addr[11] = 0xff;
		__builtin_memcpy(&key.addr[12], &a, 4);
	} else if (skops->family == AF_INET6) {
		__u32 a[4] = { skops->remote_ip6[0], skops->remote_ip6[1], skops->remote_ip6[2],
			       skops->remote_ip6[3] };

		__builtin_memcpy(key.addr, a, 16);
	}
	if (with_port)
		key.port = skops->remote_port; /* network order: only compared */
	if (bpf_map_update_elem(&peers, &key, &one, BPF_NOEXIST) == -7 /* E2BIG: full */)
		__sync_fetch_and_add(&conns.peers_dropped, 1);
}

/*
 * Unix stream connects, from the cgroup connect_unix hook (Linux 6.7). libbpf
 * 1.1 has no section name for it: the program is declared as connect4 and
 * user space sets the attach type before load. It runs in the connecting
 * task, so the cgroup scopes it to the tree; it sees the call, not its result.
 */
#define SOCK_STREAM 1

SEC("cgroup/connect4")
int on_connect_unix(struct bpf_sock_addr *ctx)
{
	if (ctx->type == SOCK_STREAM && (!tree_only || current_in_tree()))
		__sync_fetch_and_add(&conns.unix_connected, 1);
	return 1;
}

#define IPPROTO_TCP 6

/* attach: a TCP connect() by a thread of the tree marks its socket */
static __always_inline int tcp_connecting(struct bpf_sock_addr *ctx)
{
	__u64 cookie;
	__u32 v = SOCK_CONNECTING;

	if (!tree_only || ctx->type != SOCK_STREAM || ctx->protocol != IPPROTO_TCP ||
	    !current_in_tree())
		return 1;
	cookie = bpf_get_socket_cookie(ctx);
	/* NOEXIST: a second connect() on an established socket changes nothing */
	bpf_map_update_elem(&tree_socks, &cookie, &v, BPF_NOEXIST);
	return 1;
}

SEC("cgroup/connect4")
int on_connect4(struct bpf_sock_addr *ctx)
{
	return tcp_connecting(ctx);
}

SEC("cgroup/connect6")
int on_connect6(struct bpf_sock_addr *ctx)
{
	return tcp_connecting(ctx);
}

/*
 * attach: whether the established callback's socket is the tree's, marking
 * it open; false when it is not, or when it was counted already.
 */
static __always_inline bool tree_sock_opens(struct bpf_sock_ops *skops, bool active)
{
	__u64 cookie = bpf_get_socket_cookie(skops);
	__u32 port = skops->local_port;
	__u32 open = SOCK_OPEN, *v;

	if (active) {
		v = bpf_map_lookup_elem(&tree_socks, &cookie);
		if (!v || *v != SOCK_CONNECTING)
			return false;
		/* a racing second run of this program sees false */
		return __sync_val_compare_and_swap(v, SOCK_CONNECTING, SOCK_OPEN) ==
		       SOCK_CONNECTING;
	}
	if (!bpf_map_lookup_elem(&tree_ports, &port))
		return false;
	if (bpf_map_update_elem(&tree_socks, &cookie, &open, BPF_NOEXIST)) {
		if (!bpf_map_lookup_elem(&tree_socks, &cookie))
			__sync_fetch_and_add(&conns.untracked, 1);
		return false;
	}
	return true;
}

/* attach: whether the closing socket was one the tree's counted as open */
static __always_inline bool tree_sock_closes(struct bpf_sock_ops *skops)
{
	__u64 cookie = bpf_get_socket_cookie(skops);
	__u32 *v = bpf_map_lookup_elem(&tree_socks, &cookie);
	bool was_open;

	if (!v)
		return false;
	was_open = *v == SOCK_OPEN;
	/* only the run that deletes it counts it */
	return !bpf_map_delete_elem(&tree_socks, &cookie) && was_open;
}

SEC("sockops")
int on_sockops(struct bpf_sock_ops *skops)
{
	__u64 cookie;
	__u32 port;
	__u8 one = 1;

	switch (skops->op) {
	case BPF_SOCK_OPS_TCP_LISTEN_CB:
		/* listen() runs in the task: its port is the tree's */
		if (tree_only && current_in_tree()) {
			port = skops->local_port;
			bpf_map_update_elem(&tree_ports, &port, &one, BPF_ANY);
		}
		break;
	case BPF_SOCK_OPS_TCP_CONNECT_CB:
		/* a connect of the tree that fails must still leave tree_socks */
		if (tree_only) {
			cookie = bpf_get_socket_cookie(skops);
			if (bpf_map_lookup_elem(&tree_socks, &cookie))
				bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
		}
		break;
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		if (tree_only && !tree_sock_opens(skops, true))
			break;
		__sync_fetch_and_add(&conns.connected, 1);
		opened();
		peer_add(skops, true);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		if (tree_only && !tree_sock_opens(skops, false))
			break;
		__sync_fetch_and_add(&conns.accepted, 1);
		opened();
		/* a client's port says nothing about who it is */
		peer_add(skops, false);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		if (skops->args[1] == BPF_TCP_CLOSE && (!tree_only || tree_sock_closes(skops))) {
			__sync_fetch_and_add(&conns.closed, 1);
			__sync_fetch_and_add(&conns.open, -1);
		}
		break;
	}
	return 1;
}

/*
 * attach: the close of a connection established before it, which has no
 * sock_ops callbacks: by its 4-tuple, machine-wide, while any is left.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_sock_set_state, const struct sock *sk, int oldstate, int newstate)
{
	struct conn_tuple key = {};
	__u16 family;

	if (newstate != BPF_TCP_CLOSE)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		key.laddr[10] = key.laddr[11] = 0xff;
		key.raddr[10] = key.raddr[11] = 0xff;
		__builtin_memcpy(&key.laddr[12], &l, 4);
		__builtin_memcpy(&key.raddr[12], &r, 4);
	} else if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&key.laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&key.raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	} else {
		return 0;
	}
	key.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	/*
	 * Not skc_num: the move to TCP_CLOSE gives the port back (inet_put_port)
	 * and zeroes it before the tracepoint; the source port stays.
	 */
	key.lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	key.rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (!bpf_map_delete_elem(&seeded, &key)) {
		__sync_fetch_and_add(&conns.closed, 1);
		__sync_fetch_and_add(&conns.open, -1);
	}
	return 0;
}
