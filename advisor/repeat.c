// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Medians over repeated runs. The median, not the mean: one run disturbed by
 * a noisy CI neighbour must not move the figure a gate holds.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repeat.h"

int repeat_init(struct repeat_summary *s, unsigned int runs, const char *const *paths,
		size_t nr_paths)
{
	memset(s, 0, sizeof(*s));
	if (!runs)
		return -EINVAL;
	s->per_run = calloc(runs, sizeof(*s->per_run));
	s->metrics = nr_paths ? calloc(nr_paths, sizeof(*s->metrics)) : NULL;
	if (!s->per_run || (nr_paths && !s->metrics))
		goto out_free;
	s->runs = runs;
	s->nr_metrics = nr_paths;
	for (size_t k = 0; k < nr_paths; k++) {
		struct repeat_metric *m = &s->metrics[k];

		snprintf(m->path, sizeof(m->path), "%s", paths[k]);
		m->values = malloc(runs * sizeof(*m->values));
		if (!m->values)
			goto out_free;
		for (unsigned int i = 0; i < runs; i++)
			m->values[i] = NAN;
		m->median = m->min = m->max = NAN;
	}
	return 0;

out_free:
	repeat_free(s);
	return -ENOMEM;
}

void repeat_set_run(struct repeat_summary *s, unsigned int i, const struct repeat_run *run,
		    const double *values)
{
	if (i >= s->runs)
		return;
	s->per_run[i] = *run;
	for (size_t k = 0; k < s->nr_metrics; k++)
		s->metrics[k].values[i] = values ? values[k] : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double repeat_median(const double *v, size_t n)
{
	double *sorted, m;
	size_t k = 0;

	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return NAN;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			sorted[k++] = v[i];
	if (!k) {
		free(sorted);
		return NAN;
	}
	qsort(sorted, k, sizeof(*sorted), cmp_double);
	m = k % 2 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
	free(sorted);
	return m;
}

/* The median confidence of the runs that gave model m. */
static double model_confidence(const struct repeat_summary *s, enum model m)
{
	double *c = malloc(s->runs * sizeof(*c)), med;
	size_t n = 0;

	if (!c)
		return NAN;
	for (unsigned int i = 0; i < s->runs; i++)
		if (s->per_run[i].model == m)
			c[n++] = s->per_run[i].confidence;
	med = repeat_median(c, n);
	free(c);
	return med;
}

void repeat_finish(struct repeat_summary *s)
{
	const struct repeat_metric *io;
	double best_conf = NAN, best_dist = INFINITY;
	int best = -1;

	for (size_t k = 0; k < s->nr_metrics; k++) {
		struct repeat_metric *m = &s->metrics[k];

		m->median = repeat_median(m->values, s->runs);
		m->min = m->max = NAN;
		for (unsigned int i = 0; i < s->runs; i++) {
			double v = m->values[i];

			if (isnan(v))
				continue;
			if (isnan(m->min) || v < m->min)
				m->min = v;
			if (isnan(m->max) || v > m->max)
				m->max = v;
		}
	}

	memset(s->counts, 0, sizeof(s->counts));
	for (unsigned int i = 0; i < s->runs; i++)
		if ((unsigned int)s->per_run[i].model < NR_MODELS)
			s->counts[s->per_run[i].model]++;
	for (int m = 0; m < NR_MODELS; m++) {
		double conf;

		if (!s->counts[m])
			continue;
		conf = model_confidence(s, m);
		if (best < 0 || s->counts[m] > s->counts[best] ||
		    (s->counts[m] == s->counts[best] && conf > best_conf)) {
			best = m;
			best_conf = conf;
		}
	}
	s->model = best < 0 ? MODEL_INCONCLUSIVE : (enum model)best;

	io = repeat_metric_find(s, "io_fraction");
	s->main_run = 0;
	best = -1;
	for (unsigned int i = 0; i < s->runs; i++) {
		double d;

		if (s->per_run[i].model != s->model)
			continue;
		d = io && !isnan(io->values[i]) && !isnan(io->median)
			? fabs(io->values[i] - io->median)
			: INFINITY;
		if (best < 0 || d < best_dist) {
			best = i;
			best_dist = d;
		}
	}
	if (best >= 0)
		s->main_run = best;
}

const struct repeat_metric *repeat_metric_find(const struct repeat_summary *s, const char *path)
{
	for (size_t k = 0; k < s->nr_metrics; k++)
		if (!strcmp(s->metrics[k].path, path))
			return &s->metrics[k];
	return NULL;
}

void repeat_free(struct repeat_summary *s)
{
	for (size_t k = 0; k < s->nr_metrics && s->metrics; k++)
		free(s->metrics[k].values);
	free(s->metrics);
	free(s->per_run);
	memset(s, 0, sizeof(*s));
}
