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

struct timeline {
	size_t cap; /* buckets allocated in the profile's array */
	__u64 ticks_in_last; /* ticks already summed into the last bucket */
};

/*
 * Adds one tick's totals (delta) to p's timeline (p->bucket_ns starts at
 * TIMELINE_TICK_NS): into the last bucket while it spans less than
 * bucket_ns, else into a new one. 0, or -ENOMEM (the tick is lost).
 */
int timeline_add(struct timeline *tl, struct profile *p, const struct timeline_bucket *delta);

#endif /* ADVISOR_TIMELINE_H */
