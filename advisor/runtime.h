/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which language runtime a program runs on, found from the ELF of its
 * executable (libelf) and the libraries it maps (/proc/PID/maps). The
 * decision words its advice after it.
 */
#ifndef ADVISOR_RUNTIME_H
#define ADVISOR_RUNTIME_H

#include <stddef.h>
#include <sys/types.h>

#include "../probes/profile.h"

/*
 * Writes "cpython", "nodejs", "go", "jvm" or "native" into out.
 * Returns 0, -ENOSPC when out cannot hold the name, -ENOEXEC when the file is
 * not ELF, or the -errno of opening or reading it.
 */
int runtime_detect_path(const char *exe, char *out, size_t len);

/*
 * As runtime_detect_path() for the executable of process pid, and also looks
 * at the libraries it maps (an embedded libpython, a dlopen()ed libjvm.so).
 * Needs the right to read /proc/PID/exe (ptrace access).
 */
int runtime_detect(pid_t pid, char *out, size_t len);

/*
 * Fills k from the environment process pid was started with
 * (/proc/PID/environ, which needs ptrace access): the runtimes' pool sizes,
 * -1 for each one unset. Returns 0, -EAGAIN while it is empty (a process
 * in the middle of its exec: read it again later), or the -errno of reading
 * it, with every knob -1.
 */
int runtime_read_knobs(pid_t pid, struct runtime_knobs *k);

/* The value libuv and Go take from one variable's text (see struct runtime_knobs). */
int runtime_knob_uv_threadpool_size(const char *text);
int runtime_knob_gomaxprocs(const char *text);

#endif /* ADVISOR_RUNTIME_H */
