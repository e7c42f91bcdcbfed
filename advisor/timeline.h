/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The timeline: the tree's state totals per bucket, sampled every tick
 * (TIMELINE_TICK_NS). Its memory stays flat however long the run: at
 * TIMELINE_MAX_BUCKETS the resolution halves (pairs of buckets merge and a
 * bucket then holds two ticks, then four...), so a bucket always spans
 * bucket_ns of the run.
 */
#ifndef ADVISOR_TIMELINE_H
#define ADVISOR_TIMELINE_H

#include <stddef.h>

#include "../probes/profile.h"

#define TIMELINE_TICK_NS 100000000ULL
#define TIMELINE_MAX_BUCKETS 3000
/*
 * Episodes open at a tick for at least this long are tallied into it; a
 * younger one lands in the next tick, which this bounds (a tenth of a tick)
 */
#define TIMELINE_OPEN_MIN_NS 10000000ULL

struct timeline {
	size_t cap; /* buckets allocated in the profile's array */
	__u64 ticks_in_last; /* ticks already summed into the last bucket */
	/*
	 * What a tick booked ahead of the totals and the totals then did not
	 * bear out (an open wait counted as I/O that a thread of the tree
	 * ended: other), taken from the next ticks (timeline_spread())
	 */
	__s64 owed[4];
};

/*
 * One tick's share of the states: closed is what the totals gained since
 * the last tick, open the tally of the episodes still open now, open_last
 * the tally at the last tick. The tick gets closed + open - open_last per
 * state; a state that comes out below zero (an episode tallied in one
 * state closed in another) gets 0, and the difference is owed by the next
 * ticks, so the buckets add up to the totals.
 */
void timeline_spread(struct timeline *tl, const struct timeline_bucket *closed,
		     const struct timeline_bucket *open, const struct timeline_bucket *open_last,
		     struct timeline_bucket *out);

/*
 * An open wait tallied as I/O that closed as one a thread of the tree ended
 * (other) leaves an I/O debt: it is taken back from the buckets it was booked
 * in and booked there as other, which this tick's out then holds the less of.
 * Without it the I/O stayed in those buckets (a phase of Node's loop waiting
 * on its pool read as I/O-bound) and the debt fell on later ones. spans are
 * where such waits were booked (probes_open_work(); p->start_ns is bucket 0's
 * start): each bucket gives back at most its overlap with them, so other
 * threads' I/O beside them stays; what they do not place (a tally lost to
 * memory) comes from the latest buckets back.
 */
void timeline_repay(struct timeline *tl, struct profile *p, const struct span_ns *spans,
		    size_t nr_spans, struct timeline_bucket *out);

/*
 * Adds one tick's totals (delta) to p's timeline (p->bucket_ns starts at
 * TIMELINE_TICK_NS): into the last bucket while it spans less than
 * bucket_ns, else into a new one. 0, or -ENOMEM (the tick is lost).
 */
int timeline_add(struct timeline *tl, struct profile *p, const struct timeline_bucket *delta);

#endif /* ADVISOR_TIMELINE_H */
