/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Addresses of one process to function, file:line and module, with libdwfl
 * (probes/symbols.c); and the DWARF (CFI) unwind of a copied user stack.
 */
#ifndef ADVISOR_PROBES_SYMBOLS_H
#define ADVISOR_PROBES_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "profile.h"
#include "../bpf/abi.h"

struct symbols;

/*
 * The modules of process pid as its mappings list them: maps is the text
 * of /proc/PID/maps read while it lived, or NULL to read it now. Separate
 * debug info is found by build-id under /usr/lib/debug. Returns NULL and
 * errno on failure; caller frees with symbols_free().
 */
struct symbols *symbols_new(pid_t pid, const char *maps);
void symbols_free(struct symbols *s);

/*
 * Fills f (its owned strings allocated) for addr; a return address (any
 * frame but the innermost) is looked up at addr - 1, the call itself. What
 * is not known stays NULL or 0. Returns 0 or -ENOMEM.
 */
int symbols_frame(struct symbols *s, __u64 addr, bool return_address, struct stack_frame *f);

/*
 * addr's offset from the start of the module it is in (the same in every
 * process that maps the module, whatever the address-space layout): 0, or
 * -ENOENT when no module holds it.
 */
int symbols_module_offset(struct symbols *s, __u64 addr, __u64 *offset);

/*
 * Unwinds sample (registers and the top of the stack, bpf/abi.h) with the
 * modules' call frame information, as `perf --call-graph dwarf` does: pcs
 * gets up to max addresses, innermost first. Returns how many, or -errno;
 * *complete says whether the unwind reached the outermost frame.
 */
int symbols_unwind(struct symbols *s, const struct stack_sample *sample, __u64 *pcs,
		   size_t max, bool *complete);

/* Frees what f owns and zeroes it. */
void symbols_frame_clear(struct stack_frame *f);

#endif /* ADVISOR_PROBES_SYMBOLS_H */
