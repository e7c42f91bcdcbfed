// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP connections of the tree, from a sock_ops program on the cgroup made
 * for the run: it sees exactly the sockets of the tree's processes (an
 * accepted socket inherits its listener's cgroup) and nothing else's.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "abi.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10

struct conn_totals conns = {};

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
	if (ctx->type == SOCK_STREAM)
		__sync_fetch_and_add(&conns.unix_connected, 1);
	return 1;
}

SEC("sockops")
int on_sockops(struct bpf_sock_ops *skops)
{
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		__sync_fetch_and_add(&conns.connected, 1);
		opened();
		peer_add(skops, true);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		__sync_fetch_and_add(&conns.accepted, 1);
		opened();
		/* a client's port says nothing about who it is */
		peer_add(skops, false);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		if (skops->args[1] == BPF_TCP_CLOSE) {
			__sync_fetch_and_add(&conns.closed, 1);
			__sync_fetch_and_add(&conns.open, -1);
		}
		break;
	}
	return 1;
}
