/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel's function symbols from /proc/kallsyms, for the kernel stacks
 * of --kernel-stacks: "ADDRESS TYPE NAME [MODULE]" lines, text symbols only.
 * Without the privilege to see addresses (kptr_restrict) every address reads
 * 0 and nothing is named.
 */
#ifndef ADVISOR_PROBES_KALLSYMS_H
#define ADVISOR_PROBES_KALLSYMS_H

#include <stdio.h>

#include <linux/types.h>

struct kallsyms;

/* The text symbols of f (kallsyms' format); NULL and errno on failure. */
struct kallsyms *kallsyms_parse(FILE *f);

/* /proc/kallsyms; NULL and errno when it cannot be read. */
struct kallsyms *kallsyms_load(void);

/*
 * The function holding addr (the last symbol at or below it), and its module
 * ("" for the kernel image) in *module; NULL when addr is below every symbol
 * or the table is empty.
 */
const char *kallsyms_lookup(const struct kallsyms *k, __u64 addr, const char **module);

void kallsyms_free(struct kallsyms *k);

#endif /* ADVISOR_PROBES_KALLSYMS_H */
