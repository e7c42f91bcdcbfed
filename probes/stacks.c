// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --stacks: loader of the on-CPU sampler (bpf/stacks.bpf.c) and reader of
 * the stack maps it shares with the scheduler probes, symbolised into the
 * profile's stacks (probes/profile.h).
 *
 * The tree's processes may be gone when the run ends, and their address
 * spaces with them. So each address space's mappings (a process, and again
 * after each exec: keyed by tgid and mm) are read from /proc/PID/maps the
 * first time the kernel shows one of its stacks, and kept as text; at the
 * end libdwfl reads the mapped files again from the paths in it. The BPF
 * side tells a new address space through a ring buffer that a thread of
 * this file reads at once (the session's 100 ms ticks, which also drain
 * stack_procs, are too slow for a curl or a compiler). Reading the mappings
 * costs little and once per address space, where symbolising while the
 * process lives would put libdwfl's whole work (debug info included) inside
 * the measured run. A process that exits before its mappings are read is
 * symbolised from what /proc shows at the end: nothing, so its frames are
 * counted unsymbolised.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kallsyms.h"
#include "probes.h"
#include "stacks.skel.h"
#include "symbols.h"

/* 99 Hz: off the kernel's tick rates (100, 250, 1000), so samples do not lock step with it */
#define SAMPLE_HZ 99
#define SAMPLE_PERIOD_NS (1000000000ULL / SAMPLE_HZ)
/* entries kept per cause in the profile: the rest are counted as dropped */
#define STACKS_KEPT 64
/* mappings kept: processes past this many are symbolised from /proc at the end, if alive */
#define MAX_MAPPED_PROCS 4096
#define MAPS_MAX_BYTES (1 << 20)

struct proc_maps {
	struct stack_proc_key proc;
	char *maps; /* the file-backed lines of /proc/PID/maps */
};

struct probe_stacks {
	struct stacks_bpf *skel;
	int nr_events;
	int *event_fds;
	struct bpf_link **links;
	struct ring_buffer *rb;
	pthread_t reader;
	bool reader_on;
	atomic_bool stop;
	pthread_mutex_t lock; /* procs: the reader thread and the ticks add to it */
	struct proc_maps *procs;
	size_t nr_procs, cap_procs;
	struct kallsyms *ksyms; /* --kernel-stacks: read at the first kernel stack */
	bool ksyms_tried;
};

static void maps_keep(struct probe_stacks *st, const struct stack_proc_key *pk);

static int on_new_proc(void *ctx, void *data, size_t size)
{
	struct probe_stacks *st = ctx;
	struct stack_proc_key pk;

	if (size < sizeof(pk))
		return 0;
	memcpy(&pk, data, sizeof(pk));
	pthread_mutex_lock(&st->lock);
	maps_keep(st, &pk);
	pthread_mutex_unlock(&st->lock);
	return 0;
}

static void *reader_main(void *arg)
{
	struct probe_stacks *st = arg;

	while (!atomic_load(&st->stop))
		ring_buffer__poll(st->rb, 100);
	return NULL;
}

/* The reader takes no signal: the session waits for them in its own thread (sigtimedwait). */
static int reader_start(struct probe_stacks *st)
{
	sigset_t all, old;
	int e;

	st->rb = ring_buffer__new(bpf_map__fd(st->skel->maps.stack_new_procs), on_new_proc, st,
				  NULL);
	if (!st->rb)
		return -errno;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&st->reader, NULL, reader_main, st);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e)
		return -e;
	st->reader_on = true;
	return 0;
}

static void reader_stop(struct probe_stacks *st)
{
	if (!st->reader_on)
		return;
	atomic_store(&st->stop, true);
	pthread_join(st->reader, NULL);
	st->reader_on = false;
}

static int perf_event_open_cpu(int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = SAMPLE_PERIOD_NS,
	};

	return syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static int reuse(struct bpf_map *m, const struct probe_sched *sched, char *err, size_t errlen)
{
	int fd = probe_sched_map_fd(sched, bpf_map__name(m));
	int e = fd < 0 ? fd : bpf_map__reuse_fd(m, fd);

	if (e)
		snprintf(err, errlen, "cannot share the map %s: %s", bpf_map__name(m),
			 strerror(-e));
	return e;
}

int probe_stacks_open(struct probe_stacks **out, const struct probe_sched *sched, bool kstacks,
		      char *err, size_t errlen)
{
	struct probe_stacks *st = calloc(1, sizeof(*st));
	int ncpus = libbpf_num_possible_cpus(), e;

	if (!st)
		return -ENOMEM;
	pthread_mutex_init(&st->lock, NULL);
	st->skel = stacks_bpf__open();
	if (!st->skel) {
		e = -errno;
		snprintf(err, errlen, "cannot open stack probe: %s", strerror(-e));
		goto out_free;
	}
	st->skel->rodata->stacks_on = true;
	st->skel->rodata->kstacks_on = kstacks;
	st->skel->rodata->sample_period_ns = SAMPLE_PERIOD_NS;
	if ((e = reuse(st->skel->maps.tree, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_traces, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_times, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_samples, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_procs, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_new_procs, sched, err, errlen)) ||
	    (e = reuse(st->skel->maps.stack_drops, sched, err, errlen)))
		goto out_destroy;
	e = stacks_bpf__load(st->skel);
	if (e) {
		snprintf(err, errlen, "cannot load stack probe: %s", strerror(-e));
		goto out_destroy;
	}
	st->event_fds = calloc(ncpus, sizeof(*st->event_fds));
	st->links = calloc(ncpus, sizeof(*st->links));
	if (!st->event_fds || !st->links) {
		e = -ENOMEM;
		goto out_close;
	}
	for (int cpu = 0; cpu < ncpus; cpu++) {
		int fd = perf_event_open_cpu(cpu);

		if (fd < 0) {
			if (errno == ENODEV)
				continue; /* a possible CPU that is not online */
			e = -errno;
			snprintf(err, errlen, "cannot open the cpu-clock sampler on CPU %d: %s", cpu,
				 strerror(-e));
			goto out_close;
		}
		st->event_fds[st->nr_events] = fd;
		st->links[st->nr_events] =
			bpf_program__attach_perf_event(st->skel->progs.on_cpu_sample, fd);
		st->nr_events++;
		if (!st->links[st->nr_events - 1]) {
			e = -errno;
			snprintf(err, errlen, "cannot attach the cpu-clock sampler: %s",
				 strerror(-e));
			goto out_close;
		}
	}
	e = reader_start(st);
	if (e) {
		snprintf(err, errlen, "cannot start the stack reader: %s", strerror(-e));
		goto out_close;
	}
	*out = st;
	return 0;

out_close:
	probe_stacks_destroy(st);
	return e;
out_destroy:
	stacks_bpf__destroy(st->skel);
out_free:
	pthread_mutex_destroy(&st->lock);
	free(st);
	return e ? e : -EINVAL;
}

void probe_stacks_destroy(struct probe_stacks *st)
{
	if (!st)
		return;
	reader_stop(st);
	ring_buffer__free(st->rb);
	for (int i = 0; i < st->nr_events; i++) {
		bpf_link__destroy(st->links[i]);
		close(st->event_fds[i]);
	}
	free(st->links);
	free(st->event_fds);
	stacks_bpf__destroy(st->skel);
	for (size_t i = 0; i < st->nr_procs; i++)
		free(st->procs[i].maps);
	free(st->procs);
	kallsyms_free(st->ksyms);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

/* The lines of /proc/PID/maps that name a file (or the vDSO): what libdwfl reports. */
static char *maps_read(__u32 tgid)
{
	char path[64], line[4096];
	size_t len = 0, cap = 0;
	char *buf = NULL, *n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", tgid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		if (!strchr(line, '/') && !strstr(line, "[vdso]"))
			continue;
		if (len + l + 1 > MAPS_MAX_BYTES)
			break;
		if (len + l + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			n = realloc(buf, cap);
			if (!n)
				break;
			buf = n;
		}
		memcpy(buf + len, line, l + 1);
		len += l;
	}
	fclose(f);
	return buf;
}

static struct proc_maps *maps_find(struct probe_stacks *st, const struct stack_proc_key *pk)
{
	for (size_t i = st->nr_procs; i-- > 0;)
		if (st->procs[i].proc.tgid == pk->tgid && st->procs[i].proc.mm_id == pk->mm_id)
			return &st->procs[i];
	return NULL;
}

/* Whether two maps texts start with the same line: the same program at the same address. */
static bool maps_same_space(const char *a, const char *b)
{
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

	return la == lb && !memcmp(a, b, la);
}

/*
 * Keeps the mappings of an address space, read again each time it shows
 * stacks after a drain: the first read may come while the dynamic loader
 * has not yet mapped the libraries, or before a dlopen(). A read that no
 * longer starts with the same mapping is another program's (an exec came
 * since its stack) and is left; so is an address space that is gone.
 */
static void maps_keep(struct probe_stacks *st, const struct stack_proc_key *pk)
{
	struct proc_maps *n, *old = maps_find(st, pk);
	char *maps;

	if (!old && st->nr_procs == MAX_MAPPED_PROCS)
		return;
	maps = maps_read(pk->tgid);
	if (!maps)
		return;
	if (old) {
		if (maps_same_space(old->maps, maps)) {
			free(old->maps);
			old->maps = maps;
		} else {
			free(maps);
		}
		return;
	}
	if (st->nr_procs == st->cap_procs) {
		size_t cap = st->cap_procs ? st->cap_procs * 2 : 64;

		n = realloc(st->procs, cap * sizeof(*n));
		if (!n) {
			free(maps);
			return;
		}
		st->procs = n;
		st->cap_procs = cap;
	}
	st->procs[st->nr_procs].proc = *pk;
	st->procs[st->nr_procs].maps = maps;
	st->nr_procs++;
}

void probe_stacks_drain(struct probe_stacks *st)
{
	struct stack_proc_key keys[256], key, *prev = NULL;
	size_t nr = 0;
	int fd;

	if (!st)
		return;
	fd = bpf_map__fd(st->skel->maps.stack_procs);
	/* taken out of the map: the BPF side notes a process again when it shows more stacks */
	while (nr < sizeof(keys) / sizeof(keys[0]) && !bpf_map_get_next_key(fd, prev, &key)) {
		keys[nr++] = key;
		prev = &keys[nr - 1];
	}
	pthread_mutex_lock(&st->lock);
	for (size_t i = 0; i < nr; i++) {
		maps_keep(st, &keys[i]);
		bpf_map_delete_elem(fd, &keys[i]);
	}
	pthread_mutex_unlock(&st->lock);
}

struct stack_rec {
	struct stack_key key;
	struct stack_value val;
};

static int cmp_rec_proc(const void *a, const void *b)
{
	const struct stack_proc_key *x = &((const struct stack_rec *)a)->key.proc;
	const struct stack_proc_key *y = &((const struct stack_rec *)b)->key.proc;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return x->mm_id < y->mm_id ? -1 : x->mm_id > y->mm_id;
}

/* The functions where a walk ends at the outermost frame of a process or a thread. */
static bool is_outermost(const char *fn)
{
	static const char *const names[] = { "_start", "__clone3", "clone3", "__clone",
					      "clone", "start_thread" };

	for (size_t i = 0; fn && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(fn, names[i]))
			return true;
	return false;
}

/* An entry on its way into the profile, with the key that tells equal stacks apart. */
struct pending {
	char *key;
	struct stack_entry e;
};

struct pending_list {
	size_t nr, cap;
	struct pending *items;
};

static int pending_push(struct pending_list *l, const struct pending *p)
{
	struct pending *n;

	if (l->nr == l->cap) {
		size_t c = l->cap ? l->cap * 2 : 16;

		n = realloc(l->items, c * sizeof(*n));
		if (!n)
			return -ENOMEM;
		l->items = n;
		l->cap = c;
	}
	l->items[l->nr++] = *p;
	return 0;
}

/*
 * Equal stacks have equal keys: a named frame by function, file, line and
 * module; an unnamed one by its module and its offset there, the same in
 * every process whatever the address-space layout (by address without a
 * module).
 */
static char *key_make(struct symbols *sym, const struct stack_entry *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	__u64 off;

	if (!f)
		return NULL;
	for (size_t i = 0; i < e->nr_frames; i++) {
		const struct stack_frame *fr = &e->frames[i];

		if (fr->function)
			fprintf(f, "%s|%s|%u|%s\n", fr->function, fr->file ? fr->file : "",
				fr->line, fr->module ? fr->module : "");
		else if (sym && fr->module && !symbols_module_offset(sym, fr->addr, &off))
			fprintf(f, "?|%s+%llx\n", fr->module, (unsigned long long)off);
		else
			fprintf(f, "?|%llx\n", (unsigned long long)fr->addr);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* advisor's own probe and the tracepoint that ran it: the innermost frames of every stack */
static bool is_tracing_frame(const char *name)
{
	static const char *const prefixes[] = { "bpf_prog_", "bpf_trace_run", "__bpf_trace_",
						"__traceiter_", "bpf_overflow_handler",
						"__perf_event_overflow" };

	for (size_t i = 0; name && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * The kernel frames of a record (--kernel-stacks) into frames, innermost
 * first, named from /proc/kallsyms, less the innermost ones of the probe
 * that took them: how many, up to STACK_DEPTH, or -ENOMEM.
 */
static int kernel_frames(struct probe_stacks *st, __s32 id, struct stack_frame *frames)
{
	__u64 pcs[STACK_DEPTH] = { 0 };
	size_t n = 0, skip = 0;

	if (id < 0 ||
	    bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.stack_traces), &id, pcs))
		return 0;
	if (!st->ksyms_tried) {
		st->ksyms_tried = true;
		st->ksyms = kallsyms_load();
	}
	while (skip < STACK_DEPTH && pcs[skip] &&
	       is_tracing_frame(kallsyms_lookup(st->ksyms, skip ? pcs[skip] - 1 : pcs[skip], NULL)))
		skip++;
	for (; skip + n < STACK_DEPTH && pcs[skip + n]; n++) {
		struct stack_frame *f = &frames[n];
		__u64 pc = pcs[skip + n];
		const char *mod = "";
		/* a return address (all but the innermost) is looked up at the call */
		const char *name = kallsyms_lookup(st->ksyms, skip + n ? pc - 1 : pc, &mod);
		char buf[80];

		f->addr = pc;
		f->kernel = true;
		snprintf(buf, sizeof(buf), "[%s]", mod[0] ? mod : "kernel");
		if (!(f->module = strdup(buf)) || (name && !(f->function = strdup(name))))
			return -ENOMEM;
	}
	return (int)n;
}

/*
 * The stack of one record: its frame-pointer walk, or the DWARF unwind of
 * its copy where that goes further. A DWARF unwind that ran off the end of
 * the copy is continued with the frame-pointer walk from the return
 * address the two share, when they share one. Its kernel frames, when it
 * has them, go before (inside) the user frames.
 */
static int entry_build(struct probe_stacks *st, struct symbols *sym, const struct stack_rec *r,
		       struct stack_entry *e)
{
	__u64 fp[STACK_DEPTH] = { 0 }, dw[STACK_DEPTH], pcs[2 * STACK_DEPTH];
	struct stack_sample_key sk = { .proc = r->key.proc, .stack_id = r->key.stack_id };
	struct stack_sample *sample = NULL;
	size_t nf = 0, nd = 0, n = 0, nk;
	bool dw_complete = false, complete;
	int nr;

	bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.stack_traces), &r->key.stack_id, fp);
	while (nf < STACK_DEPTH && fp[nf])
		nf++;
	if (sym) {
		sample = malloc(sizeof(*sample));
		if (sample &&
		    !bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.stack_samples), &sk, sample)) {
			nr = symbols_unwind(sym, sample, dw, STACK_DEPTH, &dw_complete);
			nd = nr > 0 ? nr : 0;
		}
		free(sample);
	}
	if (nd && (dw_complete || nd >= nf)) {
		memcpy(pcs, dw, nd * sizeof(*pcs));
		n = nd;
		complete = dw_complete;
		/* the copy ended first: the frame-pointer walk may know the callers beyond */
		for (size_t j = 1; !dw_complete && j < nf; j++) {
			if (fp[j] != dw[nd - 1])
				continue;
			memcpy(pcs + n, fp + j + 1, (nf - j - 1) * sizeof(*pcs));
			n += nf - j - 1;
			break;
		}
	} else {
		memcpy(pcs, fp, nf * sizeof(*pcs));
		n = nf;
		complete = false;
	}
	memset(e, 0, sizeof(*e));
	e->time_ns = r->val.time_ns;
	e->count = r->val.count;
	e->external = r->key.cause != STACK_CAUSE_CPU && !r->key.internal;
	e->frames = calloc(n + STACK_DEPTH, sizeof(*e->frames));
	if (!e->frames)
		return -ENOMEM;
	nr = kernel_frames(st, r->key.kstack_id, e->frames);
	/* on failure the frames up to the one that failed are freed with e */
	e->nr_frames = nr < 0 ? STACK_DEPTH : (size_t)nr;
	if (nr < 0)
		return nr;
	nk = e->nr_frames;
	for (size_t i = 0; i < n; i++) {
		if (!sym) {
			e->frames[nk + i].addr = pcs[i];
		} else if (symbols_frame(sym, pcs[i], i > 0, &e->frames[nk + i])) {
			e->nr_frames = nk + i;
			return -ENOMEM;
		}
	}
	e->nr_frames = nk + n;
	/* a frame-pointer walk (or a spliced one) ends where frame pointers are 0: _start, clone */
	if (!complete)
		complete = n && n < STACK_DEPTH && is_outermost(e->frames[nk + n - 1].function);
	e->truncated = !complete;
	return 0;
}

static int cmp_pending_key(const void *pa, const void *pb)
{
	const struct pending *a = pa, *b = pb;

	if (a->e.external != b->e.external)
		return a->e.external - b->e.external;
	return strcmp(a->key, b->key);
}

static int cmp_entry_time(const void *pa, const void *pb)
{
	const struct stack_entry *a = pa, *b = pb;

	if (a->time_ns != b->time_ns)
		return a->time_ns > b->time_ns ? -1 : 1;
	return a->count > b->count ? -1 : a->count < b->count;
}

static void entry_free(struct stack_entry *e)
{
	for (size_t k = 0; k < e->nr_frames; k++)
		symbols_frame_clear(&e->frames[k]);
	free(e->frames);
	memset(e, 0, sizeof(*e));
}

/*
 * Merges the entries with equal stacks (the same code in several processes,
 * or stack ids that a frame-pointer walk told apart by garbage), sorts them
 * by time and keeps the first STACKS_KEPT in l; counts them into s. Empties
 * pl.
 */
static int list_finish(struct pending_list *pl, struct stack_list *l, struct stacks *s)
{
	size_t w = 0;

	if (!pl->nr)
		return 0;
	if (pl->nr > 1)
		qsort(pl->items, pl->nr, sizeof(*pl->items), cmp_pending_key);
	l->entries = calloc(pl->nr, sizeof(*l->entries));
	if (!l->entries)
		return -ENOMEM;
	for (size_t i = 0; i < pl->nr; i++) {
		struct pending *p = &pl->items[i];

		if (w && !cmp_pending_key(&pl->items[w - 1], p)) {
			struct stack_entry *into = &l->entries[w - 1];

			into->time_ns += p->e.time_ns;
			into->count += p->e.count;
			into->truncated &= p->e.truncated;
			entry_free(&p->e);
			free(p->key);
			continue;
		}
		/* the entry moves to l; its key stays for the comparisons that follow */
		l->entries[w] = p->e;
		pl->items[w++] = *p;
	}
	for (size_t i = 0; i < w; i++)
		free(pl->items[i].key);
	free(pl->items);
	memset(pl, 0, sizeof(*pl));
	l->nr = w;
	if (l->nr > 1)
		qsort(l->entries, l->nr, sizeof(*l->entries), cmp_entry_time);
	for (size_t i = 0; i < l->nr; i++) {
		const struct stack_entry *e = &l->entries[i];

		if (e->truncated)
			s->truncated++;
		else
			s->complete++;
		for (size_t k = 0; k < e->nr_frames; k++)
			if (!e->frames[k].function)
				s->unsymbolised++;
	}
	for (size_t i = STACKS_KEPT; i < l->nr; i++)
		entry_free(&l->entries[i]);
	if (l->nr > STACKS_KEPT) {
		s->dropped += l->nr - STACKS_KEPT;
		l->nr = STACKS_KEPT;
	}
	return 0;
}

static int records_read(struct probe_stacks *st, struct stack_rec **out, size_t *nr_out)
{
	int fd = bpf_map__fd(st->skel->maps.stack_times);
	struct stack_key key, last;
	struct stack_rec *recs = NULL, *n;
	size_t nr = 0, cap = 0;
	bool have = false;

	while (!bpf_map_get_next_key(fd, have ? &last : NULL, &key)) {
		last = key;
		have = true;
		if (nr == cap) {
			cap = cap ? cap * 2 : 256;
			n = realloc(recs, cap * sizeof(*n));
			if (!n) {
				free(recs);
				return -ENOMEM;
			}
			recs = n;
		}
		recs[nr].key = key;
		if (!bpf_map_lookup_elem(fd, &key, &recs[nr].val))
			nr++;
	}
	*out = recs;
	*nr_out = nr;
	return 0;
}

static void pending_free(struct pending_list *pl)
{
	for (size_t i = 0; i < pl->nr; i++) {
		entry_free(&pl->items[i].e);
		free(pl->items[i].key);
	}
	free(pl->items);
	memset(pl, 0, sizeof(*pl));
}

int probe_stacks_collect(struct probe_stacks *st, struct profile *prof)
{
	struct pending_list pending[NR_CAUSES + 1] = { 0 };
	struct stacks *s = &prof->stacks;
	int ncpus = libbpf_num_possible_cpus();
	struct stack_rec *recs;
	size_t nr = 0;
	__u64 *drops;
	int e = 0;

	/* the reader stops for good: from here only this thread reads procs */
	reader_stop(st);
	probe_stacks_drain(st);
	stacks_free(s);
	s->collected = true;
	drops = calloc(ncpus, sizeof(*drops));
	if (drops && !probe_percpu_array_read(bpf_map__fd(st->skel->maps.stack_drops), 1,
					      sizeof(*drops), ncpus, drops))
		for (int c = 0; c < ncpus; c++)
			s->dropped += drops[c];
	free(drops);
	e = records_read(st, &recs, &nr);
	if (e)
		return e;
	/* one address space at a time: one libdwfl session open at once */
	if (nr > 1)
		qsort(recs, nr, sizeof(*recs), cmp_rec_proc);
	for (size_t i = 0; i < nr && !e;) {
		struct stack_proc_key pk = recs[i].key.proc;
		const struct proc_maps *pm = maps_find(st, &pk);
		/* mappings not kept: the process may still be there */
		struct symbols *sym = symbols_new(pk.tgid, pm ? pm->maps : NULL);

		for (; i < nr && recs[i].key.proc.tgid == pk.tgid &&
		       recs[i].key.proc.mm_id == pk.mm_id && !e;
		     i++) {
			__u32 c = recs[i].key.cause <= STACK_CAUSE_CPU ? recs[i].key.cause :
									  CAUSE_OTHER;
			struct pending p = { 0 };

			e = entry_build(st, sym, &recs[i], &p.e);
			if (!e && !(p.key = key_make(sym, &p.e)))
				e = -ENOMEM;
			if (!e)
				e = pending_push(&pending[c], &p);
			if (e) {
				entry_free(&p.e);
				free(p.key);
			}
		}
		symbols_free(sym);
	}
	free(recs);
	/* the kernel's symbols are big (some 10 MB): not kept past the reading */
	kallsyms_free(st->ksyms);
	st->ksyms = NULL;
	st->ksyms_tried = false;
	for (int c = 0; c <= NR_CAUSES; c++) {
		if (!e)
			e = list_finish(&pending[c], &s->by_cause[c], s);
		pending_free(&pending[c]);
	}
	return e;
}
