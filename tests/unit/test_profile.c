// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Histogram maths, totals and the syscall classes the BPF side is given. */
#include <criterion/criterion.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "probes/profile.h"
#include "probes/probes.h"

/* the BPF side's log2, compiled here as it is there */
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "bpf/hist.bpf.h"

Test(hist, slot_of_powers_of_two_and_neighbours)
{
	cr_expect_eq(hist_slot(0), 0);
	cr_expect_eq(hist_slot(1), 0);
	for (unsigned int k = 1; k < MAX_SLOTS - 1; k++) {
		__u64 v = 1ULL << k;

		cr_expect_eq(hist_slot(v), k, "slot of 2^%u", k);
		cr_expect_eq(hist_slot(v - 1), k - 1, "slot of 2^%u - 1", k);
		cr_expect_eq(hist_slot(v + 1), k, "slot of 2^%u + 1", k);
	}
	/* everything past the last slot is clamped into it */
	cr_expect_eq(hist_slot(1ULL << 50), MAX_SLOTS - 1);
	cr_expect_eq(hist_slot(~0ULL), MAX_SLOTS - 1);
}

Test(hist, bpf_log2_agrees_with_user_space)
{
	unsigned int seed = 1;

	for (int i = 0; i < 100000; i++) {
		__u64 v = ((__u64)rand_r(&seed) << 32 | rand_r(&seed)) >> (rand_r(&seed) % 64);

		cr_assert_eq(hist_slot_of(v), hist_slot(v), "value %llu", (unsigned long long)v);
	}
	for (unsigned int k = 0; k < 64; k++)
		cr_assert_eq(log2_u64(1ULL << k), k);
}

Test(hist, wait_hist_add_counts_totals_and_max)
{
	struct wait_hist h = { 0 };

	wait_hist_add(&h, 1000);
	wait_hist_add(&h, 5000000);
	wait_hist_add(&h, 3);
	cr_expect_eq(h.count, 3);
	cr_expect_eq(h.total_ns, 5001003);
	cr_expect_eq(h.max_ns, 5000000);
	cr_expect_eq(h.slots[hist_slot(1000)], 1);
	cr_expect_eq(h.slots[hist_slot(5000000)], 1);
	cr_expect_eq(h.slots[1], 1);
}

Test(hist, weighted_median_is_time_weighted)
{
	__u64 slots[MAX_SLOTS] = { 0 };

	cr_expect_eq(hist_weighted_median(slots, MAX_SLOTS, 0), 0, "empty");
	/* one wait: the median lies inside its slot */
	slots[20] = 1;
	__u64 m = hist_weighted_median(slots, MAX_SLOTS, 0);
	cr_expect(m >= 1ULL << 20 && m <= 1ULL << 21, "median %llu", (unsigned long long)m);
	/* 1000 waits of ~1 us weigh less than 10 waits of ~1 ms: time decides */
	memset(slots, 0, sizeof(slots));
	slots[10] = 1000;
	slots[20] = 10;
	m = hist_weighted_median(slots, MAX_SLOTS, 0);
	cr_expect(m >= 1ULL << 20, "median %llu should be in the 1 ms slot", (unsigned long long)m);
	/* and the other way round when the short waits carry most of the time */
	slots[10] = 100000;
	m = hist_weighted_median(slots, MAX_SLOTS, 0);
	cr_expect(m < 1ULL << 11, "median %llu should be in the 1 us slot", (unsigned long long)m);
}

/*
 * One wait of 8.9 s (a server's helper asleep for all of a 9 s run): its
 * slot spans 8.6-17.2 s and the slot's middle was 12.9 s, longer than the
 * run. With the longest wait known the median stays inside 8.6-8.9 s.
 */
Test(hist, weighted_median_never_exceeds_the_longest_wait)
{
	__u64 slots[MAX_SLOTS] = { 0 }, longest = 8900000000ULL, m;

	slots[hist_slot(longest)] = 1;
	m = hist_weighted_median(slots, MAX_SLOTS, 0);
	cr_expect_gt(m, longest, "unclamped: %llu", (unsigned long long)m);
	m = hist_weighted_median(slots, MAX_SLOTS, longest);
	cr_expect(m >= 1ULL << 33 && m <= longest, "median %llu", (unsigned long long)m);
	/* a longest wait below the slot (not this histogram's): the slot's start */
	m = hist_weighted_median(slots, MAX_SLOTS, 1000);
	cr_expect_eq(m, 1ULL << 33);
}

Test(profile, totals_sum_every_thread)
{
	struct thread_profile th[3] = {
		{ .tid = 1, .cpu_ns = 10, .runq_wakeup_ns = 1, .runq_preempt_ns = 2 },
		{ .tid = 2, .cpu_ns = 20, .blocked_ns[CAUSE_NET] = 5, .internal_ns[CAUSE_NET] = 1 },
		{ .tid = 3, .cpu_ns = 30, .blocked_ns[CAUSE_SLEEP] = 7 },
	};
	struct process_profile procs[2] = {
		{ .pid = 1, .nr_threads = 2, .threads = th },
		{ .pid = 3, .nr_threads = 1, .threads = th + 2 },
	};
	struct profile p = { .nr_processes = 2, .processes = procs };
	struct profile_totals t;

	profile_totals(&p, &t);
	cr_expect_eq(t.nr_threads, 3);
	cr_expect_eq(t.cpu_ns, 60);
	cr_expect_eq(t.runq_ns, 3);
	cr_expect_eq(t.blocked_ns[CAUSE_NET], 5);
	cr_expect_eq(t.internal_ns[CAUSE_NET], 1);
	cr_expect_eq(t.blocked_ns[CAUSE_SLEEP], 7);
}

Test(profile, cause_names_round_trip)
{
	for (int c = 0; c < NR_CAUSES; c++)
		cr_expect_eq(cause_from_name(cause_names[c]), c);
	cr_expect_eq(cause_from_name("nett"), -1);
}

static __u8 class_of(const char *name)
{
	static __u8 classes[MAX_SYSCALLS];
	static bool filled;
	int nr = seccomp_syscall_resolve_name(name);

	if (!filled) {
		syscall_classes_fill(classes, sizeof(classes));
		filled = true;
	}
	cr_assert(nr >= 0 && nr < MAX_SYSCALLS, "%s resolves", name);
	return classes[nr];
}

Test(names, syscall_classes_by_name)
{
	static const struct {
		const char *name;
		enum syscall_class class;
	} cases[] = {
		{ "read", CLASS_FD },        { "write", CLASS_FD },          { "recvfrom", CLASS_FD },
		{ "accept4", CLASS_FD },     { "connect", CLASS_FD },        { "sendmsg", CLASS_FD },
		{ "fsync", CLASS_DISK },     { "fdatasync", CLASS_DISK },    { "openat", CLASS_OPEN },
		{ "epoll_wait", CLASS_POLL }, { "epoll_pwait", CLASS_POLL }, { "ppoll", CLASS_POLL },
		{ "select", CLASS_POLL },    { "futex", CLASS_LOCK },        { "flock", CLASS_LOCK },
		{ "semop", CLASS_LOCK },     { "nanosleep", CLASS_SLEEP },   { "clock_nanosleep", CLASS_SLEEP },
		{ "pause", CLASS_SLEEP },    { "rt_sigsuspend", CLASS_SLEEP }, { "wait4", CLASS_CHILD },
		{ "waitid", CLASS_CHILD },   { "msgrcv", CLASS_IPC },        { "getppid", CLASS_OTHER },
		{ "mmap", CLASS_OTHER },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(class_of(cases[i].name), cases[i].class, "%s", cases[i].name);
}

Test(names, syscall_names)
{
	char buf[32];

	syscall_name(seccomp_syscall_resolve_name("fsync"), buf, sizeof(buf));
	cr_expect_str_eq(buf, "fsync");
	syscall_name(NOT_IN_SYSCALL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "page_fault");
	syscall_name(509, buf, sizeof(buf));
	cr_expect_str_eq(buf, "nr_509");
}
