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

#define MS_NS 1000000ULL

/*
 * A 700 ms wait over seven ticks: each tick books its growth from the open
 * episodes' tally, the closing tick what the totals gained less what was
 * tallied before. Every bucket holds one tick's worth, and they add up.
 */
Test(timeline, open_episode_spreads_over_its_ticks)
{
	struct timeline tl = { 0 };
	struct timeline_bucket closed = { 0 }, open, last = { 0 }, out;
	__u64 sum = 0;

	for (int i = 1; i <= 7; i++) {
		open = (struct timeline_bucket){ .other_ns = i < 7 ? i * 100 * MS_NS : 0 };
		closed.other_ns = i < 7 ? 0 : 700 * MS_NS;
		timeline_spread(&tl, &closed, &open, &last, &out);
		cr_expect_eq(out.other_ns, 100 * MS_NS, "tick %d: %llu", i,
			     (unsigned long long)out.other_ns);
		sum += out.other_ns;
		last = open;
	}
	cr_expect_eq(sum, 700 * MS_NS);
}

/*
 * A wait tallied as I/O that a thread of the tree ended (other when it
 * closes): the I/O it booked ahead is owed, taken from the next ticks'
 * I/O, never a negative bucket; over the ticks both states add up.
 */
Test(timeline, reclassified_episode_is_owed_not_negative)
{
	struct timeline tl = { 0 };
	struct timeline_bucket last = { 0 }, out, open = { .io_ns = 300 * MS_NS };
	struct timeline_bucket closed = { 0 };
	__u64 io = 0, other = 0;

	timeline_spread(&tl, &closed, &open, &last, &out);
	io += out.io_ns;
	other += out.other_ns;
	/* it closes as other: 400 ms of it, none of it I/O */
	last = open;
	open = (struct timeline_bucket){ 0 };
	closed = (struct timeline_bucket){ .other_ns = 400 * MS_NS };
	timeline_spread(&tl, &closed, &open, &last, &out);
	cr_expect_eq(out.io_ns, 0);
	cr_expect_eq(out.other_ns, 400 * MS_NS);
	io += out.io_ns;
	other += out.other_ns;
	/* then 500 ms of real I/O closes: 300 ms of it repay what was booked ahead */
	last = open;
	closed = (struct timeline_bucket){ .io_ns = 500 * MS_NS };
	timeline_spread(&tl, &closed, &open, &last, &out);
	cr_expect_eq(out.io_ns, 200 * MS_NS);
	io += out.io_ns;
	other += out.other_ns;
	cr_expect_eq(io, 500 * MS_NS, "I/O over the ticks %llu", (unsigned long long)io);
	cr_expect_eq(other, 400 * MS_NS);
}

/*
 * One tick as the session makes it: spread, repay (spans: the waits
 * reclassified since the last tick), add; last becomes open
 */
static void push_tick(struct timeline *tl, struct profile *p, const struct timeline_bucket *closed,
		      const struct timeline_bucket *open, struct timeline_bucket *last,
		      const struct span_ns *spans, size_t nr_spans)
{
	struct timeline_bucket out;

	timeline_spread(tl, closed, open, last, &out);
	timeline_repay(tl, p, spans, nr_spans, &out);
	cr_assert_eq(timeline_add(tl, p, &out), 0);
	*last = *open;
}

/*
 * A long wait tallied as I/O while open (100 ms a tick) that closes after
 * 250 ms as one a sibling ended (other): the I/O booked in the earlier
 * buckets goes back to other there, and the closing tick holds only the
 * rest, so no bucket shows I/O that was none and the totals still add up.
 */
Test(timeline, reclassified_wait_is_repaid_where_it_was_booked)
{
	struct timeline tl = { 0 };
	struct profile p = { 0 };
	struct timeline_bucket last = { 0 }, open, closed = { 0 };

	for (int t = 1; t <= 2; t++) {
		open = (struct timeline_bucket){ .io_ns = t * 100 * MS_NS };
		push_tick(&tl, &p, &closed, &open, &last, NULL, 0);
	}
	cr_expect_eq(p.buckets[0].io_ns + p.buckets[1].io_ns, 200 * MS_NS);
	open = (struct timeline_bucket){ 0 };
	closed = (struct timeline_bucket){ .other_ns = 250 * MS_NS };
	push_tick(&tl, &p, &closed, &open, &last, NULL, 0);
	cr_expect_eq(p.buckets[0].io_ns + p.buckets[1].io_ns + p.buckets[2].io_ns, 0);
	cr_expect_eq(p.buckets[0].other_ns, 100 * MS_NS);
	cr_expect_eq(p.buckets[1].other_ns, 100 * MS_NS);
	cr_expect_eq(p.buckets[2].other_ns, 50 * MS_NS);
	cr_expect_eq(tl.owed[2], 0);
	free(p.buckets);
}

/*
 * Two threads: one waits 350 ms, tallied as I/O while open over buckets 0-2,
 * and closes as a wait a sibling ended (other); the other's 100 ms of real
 * I/O closed in bucket 2. The first's I/O goes back where its span was
 * booked, 100 ms a bucket, and the second's stays: taken latest first, the
 * debt emptied bucket 2 of both and left 100 ms of I/O that was none in
 * bucket 0.
 */
Test(timeline, reclassified_wait_leaves_other_threads_io_beside_it)
{
	struct timeline tl = { 0 };
	struct profile p = { .start_ns = 1000 * MS_NS };
	struct timeline_bucket last = { 0 }, open, closed;
	const struct span_ns span = { .from_ns = p.start_ns, .to_ns = p.start_ns + 300 * MS_NS };

	for (int t = 1; t <= 3; t++) {
		open = (struct timeline_bucket){ .io_ns = t * 100 * MS_NS };
		closed = (struct timeline_bucket){ .io_ns = t == 3 ? 100 * MS_NS : 0 };
		push_tick(&tl, &p, &closed, &open, &last, NULL, 0);
	}
	cr_expect_eq(p.buckets[2].io_ns, 200 * MS_NS);
	open = (struct timeline_bucket){ 0 };
	closed = (struct timeline_bucket){ .other_ns = 350 * MS_NS };
	push_tick(&tl, &p, &closed, &open, &last, &span, 1);
	cr_expect_eq(p.buckets[0].io_ns, 0);
	cr_expect_eq(p.buckets[1].io_ns, 0);
	cr_expect_eq(p.buckets[2].io_ns, 100 * MS_NS, "the other thread's I/O: %llu",
		     (unsigned long long)p.buckets[2].io_ns);
	cr_expect_eq(p.buckets[0].other_ns, 100 * MS_NS);
	cr_expect_eq(p.buckets[2].other_ns, 100 * MS_NS);
	cr_expect_eq(p.buckets[3].other_ns, 50 * MS_NS);
	cr_expect_eq(tl.owed[2], 0);
	free(p.buckets);
}

/*
 * A span that reaches past the buckets there are, or starts before the
 * run (attach): the buckets it covers give back what they hold, and what
 * they do not hold stays owed.
 */
Test(timeline, reclassified_span_outside_the_buckets_is_clamped)
{
	struct timeline tl = { .owed = { 0, 0, -(__s64)(250 * MS_NS), 0 } };
	struct profile p = { .start_ns = 1000 * MS_NS };
	struct timeline_bucket out = { .other_ns = 250 * MS_NS };
	const struct span_ns span = { .from_ns = 0, .to_ns = 5000 * MS_NS };

	for (int t = 0; t < 2; t++) {
		struct timeline_bucket b = { .io_ns = 100 * MS_NS };

		cr_assert_eq(timeline_add(&tl, &p, &b), 0);
	}
	timeline_repay(&tl, &p, &span, 1, &out);
	cr_expect_eq(p.buckets[0].io_ns + p.buckets[1].io_ns, 0);
	cr_expect_eq(out.other_ns, 50 * MS_NS);
	cr_expect_eq(tl.owed[2], -(__s64)(50 * MS_NS));
	free(p.buckets);
}
