/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef ADVISOR_ATTACH_H
#define ADVISOR_ATTACH_H

#include "../probes/profile.h"
#include "cli.h"
#include "session.h"

/*
 * Profiles the running tree of o->pid into prof (caller frees with
 * profile_free()) until --duration, Ctrl-C or the tree's exit. Returns 0,
 * or -errno after one line on stderr, with why in *fail.
 */
int attach_profile(const struct options *o, struct profile *prof, enum failure *fail);

#endif /* ADVISOR_ATTACH_H */
