/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef ADVISOR_HIST_BPF_H
#define ADVISOR_HIST_BPF_H

#include "abi.h"

/*
 * log2 by shifts: clang 14 crashes on __builtin_clzll in BPF code. All in 64
 * bits, so that the clamp below is a 64-bit compare: Linux 6.1's verifier
 * does not carry a 32-bit compare's bound to the 64-bit index.
 */
static __always_inline __u64 log2_u64(__u64 v)
{
	__u64 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* The clamp keeps the index provably in bounds for the verifier. */
static __always_inline __u64 hist_slot_of(__u64 ns)
{
	__u64 slot = log2_u64(ns);

	return slot < MAX_SLOTS ? slot : MAX_SLOTS - 1;
}

/* Callers pass per-CPU values: no atomics needed. */
static __always_inline void wait_hist_add(struct wait_hist *h, __u64 ns)
{
	__u64 slot = hist_slot_of(ns);

	h->count++;
	h->total_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	if (slot < MAX_SLOTS)
		h->slots[slot]++;
}

#endif /* ADVISOR_HIST_BPF_H */
