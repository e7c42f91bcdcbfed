// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/kallsyms as a sorted table (probes/kallsyms.h). Names and module
 * names live in one block each entry points into: 120,000 symbols read once
 * per run that asked for kernel stacks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

struct ksym {
	__u64 addr;
	const char *name, *module;
};

struct kallsyms {
	struct ksym *syms;
	size_t nr;
	char **blocks; /* the lines' text, owned */
	size_t nr_blocks, cap_blocks;
};

static int cmp_addr(const void *pa, const void *pb)
{
	const struct ksym *a = pa, *b = pb;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* text: t/T, and weak symbols (w/W) that name code */
static int is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

struct kallsyms *kallsyms_parse(FILE *f)
{
	struct kallsyms *k = calloc(1, sizeof(*k));
	size_t cap = 0, linecap = 0;
	char *line = NULL;
	ssize_t n;

	if (!k)
		return NULL;
	while ((n = getline(&line, &linecap, f)) > 0) {
		char *end, *name, *mod, type, **nb;
		__u64 addr;

		errno = 0;
		addr = strtoull(line, &end, 16);
		if (end == line || *end != ' ' || errno || !end[1] || end[2] != ' ')
			continue;
		type = end[1];
		if (!is_text(type))
			continue;
		name = end + 3;
		name[strcspn(name, "\n")] = '\0';
		mod = strchr(name, '\t');
		if (mod) {
			*mod++ = '\0';
			mod += strspn(mod, "[");
			mod[strcspn(mod, "]")] = '\0';
		}
		if (!*name)
			continue;
		if (k->nr == cap) {
			struct ksym *ns;

			cap = cap ? cap * 2 : 4096;
			ns = realloc(k->syms, cap * sizeof(*ns));
			if (!ns)
				goto out_nomem;
			k->syms = ns;
		}
		/* the line is kept whole: name and module point into it */
		if (k->nr_blocks == k->cap_blocks) {
			k->cap_blocks = k->cap_blocks ? k->cap_blocks * 2 : 4096;
			nb = realloc(k->blocks, k->cap_blocks * sizeof(*nb));
			if (!nb)
				goto out_nomem;
			k->blocks = nb;
		}
		k->blocks[k->nr_blocks++] = line;
		k->syms[k->nr++] = (struct ksym){ addr, name, mod ? mod : "" };
		line = NULL;
		linecap = 0;
	}
	free(line);
	if (k->nr > 1)
		qsort(k->syms, k->nr, sizeof(*k->syms), cmp_addr);
	return k;

out_nomem:
	free(line);
	kallsyms_free(k);
	errno = ENOMEM;
	return NULL;
}

struct kallsyms *kallsyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct kallsyms *k;
	int e;

	if (!f)
		return NULL;
	k = kallsyms_parse(f);
	e = errno;
	fclose(f);
	errno = e;
	return k;
}

const char *kallsyms_lookup(const struct kallsyms *k, __u64 addr, const char **module)
{
	size_t lo = 0, hi = k ? k->nr : 0;

	/* lo: how many symbols start at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !k->syms[lo - 1].addr)
		return NULL;
	if (module)
		*module = k->syms[lo - 1].module;
	return k->syms[lo - 1].name;
}

void kallsyms_free(struct kallsyms *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nr_blocks; i++)
		free(k->blocks[i]);
	free(k->blocks);
	free(k->syms);
	free(k);
}
