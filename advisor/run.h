/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef ADVISOR_RUN_H
#define ADVISOR_RUN_H

#include "cli.h"
#include "profile.h"

/*
 * Runs o->argv under the probes into prof (caller frees with
 * profile_free()). Returns 0 when the target ran, whatever its status;
 * otherwise -errno after one line on stderr, with the exit status in *fail.
 */
int run_profile(const struct options *o, struct profile *prof, int *fail);

/* 0 when path can be written; it is not left behind if it did not exist. */
int run_check_output(const char *path);

/*
 * Checks every -o before anything runs: a known format, a writable path.
 * Returns 0, or -errno after one line on stderr, with the exit status in *fail.
 */
int run_check_outputs(const struct options *o, int *fail);

/* 0 when the kernel has what the probes need; else a reason in err. */
int run_check_env(char *err, size_t errlen);

/* The one line for probes_open()'s failure e (with its reason err): what rights are needed. */
void run_probes_error(int e, const char *err);

#endif /* ADVISOR_RUN_H */
