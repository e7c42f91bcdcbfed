// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The timeline's fixed memory over any run length (advisor/timeline.c). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "advisor/timeline.h"

/*
 * A 400 s run through the timeline: 4,000 ticks of 1 ms cpu each. Past 3,000
 * buckets the resolution halves, and every bucket must still span bucket_ns
 * (the sum of the buckets' spans is the run) with its rate unchanged.
 */
Test(timeline, long_run_keeps_its_length_and_rates)
{
	struct profile p = { 0 };
	struct timeline tl = { 0 };
	struct timeline_bucket tick = { .cpu_ns = 1000000, .io_ns = 2000000 };
	__u64 cpu = 0;

	for (int i = 0; i < 4000; i++)
		cr_assert_eq(timeline_add(&tl, &p, &tick), 0);
	cr_assert_leq(p.nr_buckets, TIMELINE_MAX_BUCKETS);
	cr_assert_eq(p.bucket_ns, 2 * TIMELINE_TICK_NS);
	cr_assert_eq(p.nr_buckets, 2000, "%zu buckets of 200 ms for 400 s", p.nr_buckets);
	for (size_t i = 0; i < p.nr_buckets; i++) {
		cr_assert_eq(p.buckets[i].cpu_ns, 2000000, "bucket %zu: cpu %llu", i,
			     (unsigned long long)p.buckets[i].cpu_ns);
		cr_assert_eq(p.buckets[i].io_ns, 4000000);
		cpu += p.buckets[i].cpu_ns;
	}
	cr_assert_eq(cpu, 4000 * 1000000ULL);
	free(p.buckets);
}

/* A run that ends mid-bucket: its last bucket holds the ticks it had. */
Test(timeline, last_bucket_partial_after_halving)
{
	struct profile p = { 0 };
	struct timeline tl = { 0 };
	struct timeline_bucket tick = { .cpu_ns = 1 };

	for (int i = 0; i < 2 * TIMELINE_MAX_BUCKETS + 1; i++)
		cr_assert_eq(timeline_add(&tl, &p, &tick), 0);
	/* 6,000 ticks fill 3,000 buckets of 2; the next halves them to 1,500 of 4 */
	cr_assert_eq(p.nr_buckets, TIMELINE_MAX_BUCKETS / 2 + 1);
	cr_assert_eq(p.bucket_ns, 4 * TIMELINE_TICK_NS);
	cr_assert_eq(p.buckets[0].cpu_ns, 4);
	cr_assert_eq(p.buckets[p.nr_buckets - 1].cpu_ns, 1);
	free(p.buckets);
}
