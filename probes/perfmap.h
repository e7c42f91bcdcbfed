/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Symbols of code a JIT compiler wrote into anonymous memory, from the map a
 * runtime writes for profilers: /tmp/perf-PID.map, one line per function,
 * "START SIZE NAME" with START and SIZE in hex (node --perf-basic-prof,
 * python3 -X perf, the JVM's perf-map-agent, LuaJIT). Nothing maps such
 * code to a file, so libdwfl cannot name it; this table can.
 */
#ifndef ADVISOR_PROBES_PERFMAP_H
#define ADVISOR_PROBES_PERFMAP_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/types.h>

/* the map's path for process pid, as runtimes name it */
#define PERFMAP_PATH_FMT "/tmp/perf-%d.map"
/* a map larger than this is read up to here (the runtime may still write it) */
#define PERFMAP_MAX_BYTES (64 << 20)
/* names are cut here */
#define PERFMAP_NAME_MAX 1024

struct perfmap;

/*
 * The map read from f: lines that do not parse are skipped and counted in
 * *skipped (may be NULL). Returns NULL and errno on failure; an empty map
 * when f holds no line that parses.
 */
struct perfmap *perfmap_parse(FILE *f, size_t *skipped);

/*
 * The map of process pid, or NULL (errno ENOENT when it wrote none). Only a
 * regular file is read, never through a symbolic link: the file is the
 * target's, and so is what it says.
 */
struct perfmap *perfmap_open(pid_t pid);

/*
 * The name of the function holding addr, or NULL. Where entries overlap
 * (code recompiled into the same memory), the one written last wins.
 */
const char *perfmap_lookup(const struct perfmap *m, __u64 addr);

size_t perfmap_size(const struct perfmap *m);
void perfmap_free(struct perfmap *m);

#endif /* ADVISOR_PROBES_PERFMAP_H */
