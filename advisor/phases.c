// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The phases of a run, from its timeline.
 *
 * Each bucket has the tree's work w = cpu + own runq + io (own runq: the
 * part the tree's own demand explains, timeline_runq_own()) and its I/O
 * share x = io / w. A phase is a run of buckets with one I/O share: the
 * timeline is cut in at most three runs of buckets (start-up, steady state,
 * tear-down) where the work-weighted squared deviation of the buckets'
 * shares from their run's share is least, an exact search over every pair
 * of cuts. Idle buckets weigh nothing, so they never make a phase of their
 * own.
 *
 * A cut stands only when it separates real phases, not noise:
 *   - each phase spans at least PHASE_MIN_BUCKETS buckets and PHASE_MIN_SHARE
 *     of the run, and holds at least PHASE_MIN_WORK of the tree's work;
 *   - neighbouring phases' I/O shares differ by at least PHASE_GAP.
 * The best three-phase cut is tried first, then the best two-phase one;
 * when neither stands, the run is one phase.
 *
 * Which phase is the steady state goes by order, as a program runs: of
 * three, the middle one; of two, the second (the first was the start-up),
 * unless it lasted less than half as long as the first (TEARDOWN_MAX): then
 * it is the tear-down and the first is the steady state. Lengths leave out
 * other programs' load (own_len()): a start-up that runs long on a busy
 * machine (imports stretched by other programs) is still the start-up.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "phases.h"

#define PHASE_MIN_BUCKETS 2
#define PHASE_MIN_SHARE 0.1 /* of the run's buckets */
#define PHASE_MIN_WORK 0.05 /* of the run's work */
/*
 * Neighbouring phases whose I/O shares differ by less are one: a steady
 * workload's buckets wander by a few tenths, its runs of buckets far less
 */
#define PHASE_GAP 0.3
/* a last of two phases shorter than this share of the first is a tear-down */
#define TEARDOWN_MAX 0.5

const char *const phase_names[NR_PHASE_KINDS] = {
	[PHASE_STARTUP] = "start-up",
	[PHASE_STEADY] = "steady",
	[PHASE_TEARDOWN] = "tear-down",
};

double timeline_bucket_len(const struct profile *p, size_t i)
{
	if (i + 1 == p->nr_buckets && p->duration_ns > i * p->bucket_ns &&
	    p->duration_ns < (i + 1) * p->bucket_ns)
		return (double)(p->duration_ns - i * p->bucket_ns);
	return (double)p->bucket_ns;
}

double timeline_runq_own(const struct timeline_bucket *b, double len, int cpus)
{
	double own = (double)b->cpu_ns + b->runq_ns - (cpus > 0 ? cpus : 1) * len;

	own = own > 0 ? own : 0;
	return own < b->runq_ns ? own : (double)b->runq_ns;
}

double timeline_runq_own_share(const struct profile *p)
{
	double all = 0, own = 0;

	for (size_t i = 0; i < p->nr_buckets; i++) {
		all += p->buckets[i].runq_ns;
		own += timeline_runq_own(&p->buckets[i], timeline_bucket_len(p, i), p->cpus);
	}
	return all > 0 ? own / all : 1;
}

/* Prefix sums over the buckets: work, io and io^2 / work (for the cost). */
struct sums {
	double *w, *s, *q;
};

static double run_cost(const struct sums *z, size_t a, size_t b)
{
	double w = z->w[b] - z->w[a], s = z->s[b] - z->s[a], q = z->q[b] - z->q[a];

	return w > 0 ? q - s * s / w : 0;
}

/*
 * The length of buckets a..b without other programs' load: the run queue
 * time the tree's own demand does not explain, over the threads busy at once.
 * A start-up that a busy machine stretched fourfold is still a start-up.
 */
static double own_len(const struct profile *p, size_t a, size_t b)
{
	double len = 0, ext = 0, work = 0, busy;

	for (size_t i = a; i < b; i++) {
		const struct timeline_bucket *k = &p->buckets[i];
		double l = timeline_bucket_len(p, i);

		len += l;
		ext += k->runq_ns - timeline_runq_own(k, l, p->cpus);
		work += (double)k->cpu_ns + k->runq_ns + k->io_ns;
	}
	busy = len > 0 ? work / len : 1;
	len -= ext / (busy > 1 ? busy : 1);
	return len > 0 ? len : 0;
}

static void phase_fill(const struct profile *p, size_t a, size_t b, struct phase *ph)
{
	double cpu = 0, runq = 0, io = 0, len = 0;

	for (size_t i = a; i < b; i++) {
		const struct timeline_bucket *k = &p->buckets[i];
		double l = timeline_bucket_len(p, i);

		cpu += k->cpu_ns;
		io += k->io_ns;
		runq += timeline_runq_own(k, l, p->cpus);
		len += l;
	}
	ph->start_ns = a * p->bucket_ns;
	ph->end_ns = b == p->nr_buckets ? p->duration_ns : b * p->bucket_ns;
	ph->io_fraction = cpu + runq + io > 0 ? io / (cpu + runq + io) : 0;
	ph->cpu_used = len > 0 ? cpu / len : 0;
	ph->busy_threads = len > 0 ? (cpu + io) / len : 0;
}

/* Whether the runs cut at cuts[0..n] (cuts[0] = 0, cuts[n] = nr) are phases. */
static bool cuts_stand(const struct profile *p, const struct sums *z, const size_t *cuts,
		       size_t n, size_t min_len)
{
	double total = z->w[p->nr_buckets], prev = NAN;

	for (size_t k = 0; k < n; k++) {
		size_t a = cuts[k], b = cuts[k + 1];
		double w = z->w[b] - z->w[a], x;

		if (b - a < min_len || w <= 0 || w < PHASE_MIN_WORK * total)
			return false;
		x = (z->s[b] - z->s[a]) / w;
		if (k && fabs(x - prev) < PHASE_GAP)
			return false;
		prev = x;
	}
	return true;
}

/* The cheapest cut in n runs (2 or 3) of at least min_len buckets; false when none fits. */
static bool best_cuts(size_t nr, const struct sums *z, size_t n, size_t min_len, size_t *cuts)
{
	double best = INFINITY;

	if (nr < n * min_len)
		return false;
	cuts[0] = 0;
	cuts[n] = nr;
	for (size_t i = min_len; i + (n - 1) * min_len <= nr; i++) {
		if (n == 2) {
			double c = run_cost(z, 0, i) + run_cost(z, i, nr);

			if (c < best) {
				best = c;
				cuts[1] = i;
			}
			continue;
		}
		for (size_t j = i + min_len; j + min_len <= nr; j++) {
			double c = run_cost(z, 0, i) + run_cost(z, i, j) + run_cost(z, j, nr);

			if (c < best) {
				best = c;
				cuts[1] = i;
				cuts[2] = j;
			}
		}
	}
	return best < INFINITY;
}

static size_t one_phase(const struct profile *p, struct phases *ph)
{
	ph->nr = 1;
	ph->steady = 0;
	ph->phase[0].kind = PHASE_STEADY;
	phase_fill(p, 0, p->nr_buckets, &ph->phase[0]);
	return 1;
}

size_t phases_find(const struct profile *p, struct phases *ph)
{
	size_t nr = p->nr_buckets, min_len, cuts[MAX_PHASES + 1], n = 0;
	double share_len = ceil(PHASE_MIN_SHARE * (double)nr);
	struct sums z;

	memset(ph, 0, sizeof(*ph));
	min_len = share_len > PHASE_MIN_BUCKETS ? (size_t)share_len : PHASE_MIN_BUCKETS;
	if (nr < 2 * min_len)
		return one_phase(p, ph);

	z.w = calloc(3 * (nr + 1), sizeof(double));
	if (!z.w)
		return one_phase(p, ph);
	z.s = z.w + nr + 1;
	z.q = z.s + nr + 1;
	for (size_t i = 0; i < nr; i++) {
		const struct timeline_bucket *b = &p->buckets[i];
		double len = timeline_bucket_len(p, i);
		double w = b->cpu_ns + timeline_runq_own(b, len, p->cpus) + b->io_ns;

		z.w[i + 1] = z.w[i] + w;
		z.s[i + 1] = z.s[i] + b->io_ns;
		z.q[i + 1] = z.q[i] + (w > 0 ? (double)b->io_ns * b->io_ns / w : 0);
	}
	for (size_t k = MAX_PHASES; k >= 2 && !n; k--)
		if (best_cuts(nr, &z, k, min_len, cuts) && cuts_stand(p, &z, cuts, k, min_len))
			n = k;
	free(z.w);
	if (!n)
		return one_phase(p, ph);

	ph->nr = n;
	for (size_t k = 0; k < n; k++)
		phase_fill(p, cuts[k], cuts[k + 1], &ph->phase[k]);
	ph->steady = 1;
	if (n == 2 && own_len(p, cuts[1], cuts[2]) < TEARDOWN_MAX * own_len(p, cuts[0], cuts[1]))
		ph->steady = 0;
	for (size_t k = 0; k < n; k++)
		ph->phase[k].kind = k < ph->steady	? PHASE_STARTUP :
				    k == ph->steady ? PHASE_STEADY :
						      PHASE_TEARDOWN;
	return n;
}
