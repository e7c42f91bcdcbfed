// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>

#include "timeline.h"

/* Merges pairs of buckets: half as many, each twice as long. */
static void halve(struct timeline *tl, struct profile *p)
{
	__u64 old_ticks = p->bucket_ns / TIMELINE_TICK_NS;
	size_t n = p->nr_buckets / 2;

	for (size_t i = 0; i < n; i++) {
		const struct timeline_bucket *x = &p->buckets[2 * i], *y = &p->buckets[2 * i + 1];

		p->buckets[i] = (struct timeline_bucket){ x->cpu_ns + y->cpu_ns,
							  x->runq_ns + y->runq_ns,
							  x->io_ns + y->io_ns,
							  x->other_ns + y->other_ns };
	}
	if (p->nr_buckets % 2) {
		/* the odd bucket out stays alone: the new last one, with its own ticks */
		p->buckets[n++] = p->buckets[p->nr_buckets - 1];
	} else {
		/* the last pair: a full bucket and the one being filled */
		tl->ticks_in_last += old_ticks;
	}
	p->nr_buckets = n;
	p->bucket_ns *= 2;
}

void timeline_spread(struct timeline *tl, const struct timeline_bucket *closed,
		     const struct timeline_bucket *open, const struct timeline_bucket *open_last,
		     struct timeline_bucket *out)
{
	const __u64 *c = &closed->cpu_ns, *o = &open->cpu_ns, *l = &open_last->cpu_ns;
	__u64 *res = &out->cpu_ns;

	_Static_assert(sizeof(struct timeline_bucket) == 4 * sizeof(__u64),
		       "timeline_bucket is four counters");
	for (int i = 0; i < 4; i++) {
		__s64 v = (__s64)c[i] + (__s64)o[i] - (__s64)l[i] + tl->owed[i];

		res[i] = v > 0 ? (__u64)v : 0;
		tl->owed[i] = v < 0 ? v : 0;
	}
}

/* Moves up to most of the debt's I/O in b to other: what it moved. */
static __u64 give_back(struct timeline *tl, struct timeline_bucket *b, __u64 most)
{
	__u64 x = b->io_ns < (__u64)-tl->owed[2] ? b->io_ns : (__u64)-tl->owed[2];

	if (x > most)
		x = most;
	b->io_ns -= x;
	b->other_ns += x;
	tl->owed[2] += (__s64)x;
	return x;
}

void timeline_repay(struct timeline *tl, struct profile *p, const struct span_ns *spans,
		    size_t nr_spans, struct timeline_bucket *out)
{
	__u64 moved = 0;

	for (size_t k = 0; k < nr_spans && tl->owed[2] < 0 && p->bucket_ns; k++) {
		__u64 from = spans[k].from_ns > p->start_ns ? spans[k].from_ns - p->start_ns : 0;
		__u64 to = spans[k].to_ns > p->start_ns ? spans[k].to_ns - p->start_ns : 0;

		for (size_t i = from / p->bucket_ns; i < p->nr_buckets && tl->owed[2] < 0; i++) {
			__u64 lo = i * p->bucket_ns, hi = lo + p->bucket_ns;

			if (lo >= to)
				break;
			moved += give_back(tl, &p->buckets[i],
					   (hi < to ? hi : to) - (lo > from ? lo : from));
		}
	}
	for (size_t i = p->nr_buckets; i-- > 0 && tl->owed[2] < 0;)
		moved += give_back(tl, &p->buckets[i], (__u64)-1);
	if (out->other_ns >= moved) {
		out->other_ns -= moved;
	} else {
		tl->owed[3] -= (__s64)(moved - out->other_ns);
		out->other_ns = 0;
	}
}

int timeline_add(struct timeline *tl, struct profile *p, const struct timeline_bucket *delta)
{
	__u64 ticks_per_bucket;
	struct timeline_bucket *b;

	if (!p->bucket_ns)
		p->bucket_ns = TIMELINE_TICK_NS;
	ticks_per_bucket = p->bucket_ns / TIMELINE_TICK_NS;
	if (!p->nr_buckets || tl->ticks_in_last >= ticks_per_bucket) {
		if (p->nr_buckets == TIMELINE_MAX_BUCKETS) {
			halve(tl, p);
			return timeline_add(tl, p, delta);
		}
		if (p->nr_buckets == tl->cap) {
			size_t cap = tl->cap ? tl->cap * 2 : 64;
			void *n = realloc(p->buckets, cap * sizeof(*p->buckets));

			if (!n)
				return -ENOMEM;
			p->buckets = n;
			tl->cap = cap;
		}
		p->buckets[p->nr_buckets++] = (struct timeline_bucket){ 0 };
		tl->ticks_in_last = 0;
	}
	b = &p->buckets[p->nr_buckets - 1];
	b->cpu_ns += delta->cpu_ns;
	b->runq_ns += delta->runq_ns;
	b->io_ns += delta->io_ns;
	b->other_ns += delta->other_ns;
	tl->ticks_in_last++;
	return 0;
}
