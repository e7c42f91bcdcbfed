// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "profile.h"

const char *const cause_names[NR_CAUSES] = CAUSE_NAMES_INIT;

int cause_from_name(const char *name)
{
	for (int i = 0; i < NR_CAUSES; i++)
		if (!strcmp(name, cause_names[i]))
			return i;
	return -1;
}

void profile_totals(const struct profile *p, struct profile_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];

		for (size_t j = 0; j < proc->nr_threads; j++) {
			const struct thread_profile *th = &proc->threads[j];

			t->cpu_ns += th->cpu_ns;
			t->runq_wakeup_ns += th->runq_wakeup_ns;
			t->runq_preempt_ns += th->runq_preempt_ns;
			for (int c = 0; c < NR_CAUSES; c++) {
				t->blocked_ns[c] += th->blocked_ns[c];
				t->internal_ns[c] += th->internal_ns[c];
			}
			t->nr_threads++;
		}
	}
	t->runq_ns = t->runq_wakeup_ns + t->runq_preempt_ns;
}

void profile_free(struct profile *p)
{
	if (p->command)
		for (size_t i = 0; i < p->nr_command; i++)
			free(p->command[i]);
	free(p->command);
	for (size_t i = 0; i < p->nr_processes; i++) {
		free(p->processes[i].exe);
		free(p->processes[i].argv0);
		free(p->processes[i].threads);
	}
	free(p->processes);
	free(p->syscall_waits);
	free(p->syscalls);
	free(p->buckets);
	stacks_free(&p->stacks);
	memset(p, 0, sizeof(*p));
}

void stacks_free(struct stacks *s)
{
	for (int c = 0; c <= NR_CAUSES; c++) {
		struct stack_list *l = &s->by_cause[c];

		for (size_t i = 0; i < l->nr; i++) {
			struct stack_entry *e = &l->entries[i];

			for (size_t k = 0; k < e->nr_frames; k++) {
				free(e->frames[k].function);
				free(e->frames[k].file);
				free(e->frames[k].module);
			}
			free(e->frames);
		}
		free(l->entries);
	}
	memset(s, 0, sizeof(*s));
}

unsigned int hist_slot(__u64 ns)
{
	unsigned int slot = 0;

	while (ns > 1 && slot < MAX_SLOTS - 1) {
		ns >>= 1;
		slot++;
	}
	return slot;
}

/* Waits in slot k last between 2^k and 2^(k+1) ns: weigh each by 1.5 * 2^k. */
static double slot_weight(size_t k)
{
	return 1.5 * (double)(1ULL << k);
}

__u64 hist_weighted_median(const __u64 *slots, size_t nr_slots, __u64 max_ns)
{
	double total = 0, acc = 0;

	for (size_t k = 0; k < nr_slots; k++)
		total += slots[k] * slot_weight(k);
	if (total <= 0)
		return 0;
	/* walk down from the longest waits until half of the time is covered */
	for (size_t k = nr_slots; k-- > 0;) {
		double w = slots[k] * slot_weight(k);

		if (w > 0 && acc + w >= total / 2) {
			double lo = (double)(1ULL << k), hi = 2 * lo;
			double frac = (total / 2 - acc) / w; /* share of this slot needed */

			/* the slot of the longest wait holds none longer than it */
			if (max_ns && hi > (double)max_ns)
				hi = lo > (double)max_ns ? lo : (double)max_ns;

			return (__u64)(hi - frac * (hi - lo));
		}
		acc += w;
	}
	return 0;
}
