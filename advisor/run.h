/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef ADVISOR_RUN_H
#define ADVISOR_RUN_H

#include "../probes/profile.h"
#include "cli.h"
#include "session.h"

/*
 * Runs o->argv under the probes into prof (caller frees with
 * profile_free()). Returns 0 when the target ran, whatever its status;
 * otherwise -errno after one line on stderr, with why in *fail.
 */
int run_profile(const struct options *o, struct profile *prof, enum failure *fail);

#endif /* ADVISOR_RUN_H */
