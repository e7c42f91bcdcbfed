// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Symbols of a process's addresses through libdwfl: its modules are the
 * files its mappings list; names come from the ELF symbol tables, files and
 * lines from DWARF, found beside the file or under /usr/lib/debug by
 * build-id (dwfl_standard_find_debuginfo()). Code a JIT wrote into anonymous
 * memory is named from the runtime's perf map when it wrote one
 * (probes/perfmap.h), read the first time such an address comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elfutils/libdwfl.h>

#include "perfmap.h"
#include "symbols.h"

struct symbols {
	Dwfl *dwfl;
	pid_t pid;
	bool attached; /* dwfl_attach_state() done: it can be done once */
	const struct stack_sample *sample; /* the copy symbols_unwind() reads */
	struct perfmap *jit; /* the perf map, when jit_tried found one */
	bool jit_tried;
};

static char *debuginfo_path;

/*
 * A mapped file by its path; failing that (a file replaced or deleted since
 * it was mapped), by its build-id under /usr/lib/debug/.build-id.
 */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	int fd = dwfl_linux_proc_find_elf(mod, userdata, name, base, file_name, elfp);

	if (fd >= 0 || *elfp)
		return fd;
	return dwfl_build_id_find_elf(mod, userdata, name, base, file_name, elfp);
}

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

struct symbols *symbols_new(pid_t pid, const char *maps)
{
	struct symbols *s = calloc(1, sizeof(*s));
	FILE *f;
	int e;

	if (!s)
		return NULL;
	s->pid = pid;
	s->dwfl = dwfl_begin(&dwfl_callbacks);
	if (!s->dwfl) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	dwfl_report_begin(s->dwfl);
	if (maps) {
		f = fmemopen((void *)maps, strlen(maps), "r");
		e = f ? dwfl_linux_proc_maps_report(s->dwfl, f) : errno;
		if (f)
			fclose(f);
	} else {
		e = dwfl_linux_proc_report(s->dwfl, pid);
	}
	dwfl_report_end(s->dwfl, NULL, NULL);
	if (e) {
		dwfl_end(s->dwfl);
		free(s);
		errno = e > 0 ? e : EINVAL;
		return NULL;
	}
	return s;
}

void symbols_free(struct symbols *s)
{
	if (!s)
		return;
	dwfl_end(s->dwfl);
	perfmap_free(s->jit);
	free(s);
}

void symbols_frame_clear(struct stack_frame *f)
{
	free(f->function);
	free(f->file);
	free(f->module);
	memset(f, 0, sizeof(*f));
}

/* addr in no mapped file: a JIT's code, named by its perf map if it has one */
static int jit_frame(struct symbols *s, Dwarf_Addr addr, struct stack_frame *f)
{
	char path[64];
	const char *name;

	if (!s->jit_tried) {
		s->jit_tried = true;
		s->jit = perfmap_open(s->pid);
	}
	name = perfmap_lookup(s->jit, addr);
	if (!name)
		return 0;
	snprintf(path, sizeof(path), PERFMAP_PATH_FMT, (int)s->pid);
	f->function = strdup(name);
	f->module = strdup(path);
	if (!f->function || !f->module) {
		symbols_frame_clear(f);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The line of addr from the compilation unit whose ranges hold it, found by
 * walking the units: libdw (0.188) finds a unit through .debug_aranges,
 * which some compilers do not write (Go's), and then knows no line at all.
 */
static const char *line_by_cu(Dwfl_Module *m, Dwarf_Addr addr, int *lineno)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(m, &bias);
	Dwarf_Off off = 0, next;
	Dwarf_Aranges *ar;
	size_t hsize, nr = 0;

	/* with aranges, libdw has looked already: the address has no line */
	if (!dw || (!dwarf_getaranges(dw, &ar, &nr) && nr))
		return NULL;
	for (; !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL); off = next) {
		Dwarf_Die cu;
		Dwarf_Line *l;

		if (!dwarf_offdie(dw, off + hsize, &cu) || dwarf_haspc(&cu, addr - bias) <= 0)
			continue;
		l = dwarf_getsrc_die(&cu, addr - bias);
		if (!l || dwarf_lineno(l, lineno))
			return NULL;
		return dwarf_linesrc(l, NULL, NULL);
	}
	return NULL;
}

int symbols_frame(struct symbols *s, __u64 addr, bool return_address, struct stack_frame *f)
{
	Dwarf_Addr a = return_address && addr ? addr - 1 : addr;
	Dwfl_Module *m = dwfl_addrmodule(s->dwfl, a);
	const char *name, *fn, *src;
	Dwfl_Line *line;
	int lineno = 0;

	memset(f, 0, sizeof(*f));
	f->addr = addr;
	if (!m)
		return jit_frame(s, a, f);
	fn = dwfl_module_addrname(m, a);
	/*
	 * A module spans its file's lowest to highest mapping, holes included,
	 * and a JIT may put its code in such a hole (node's code space lies
	 * among node's own segments): the perf map knows it then.
	 */
	if (!fn) {
		int rc = jit_frame(s, a, f);

		if (rc || f->function)
			return rc;
	}
	name = dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	if (name && !(f->module = strdup(name)))
		goto out_nomem;
	if (fn && !(f->function = strdup(fn)))
		goto out_nomem;
	line = dwfl_module_getsrc(m, a);
	src = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
	if (!src)
		src = line_by_cu(m, a, &lineno);
	if (src) {
		if (!(f->file = strdup(src)))
			goto out_nomem;
		f->line = lineno > 0 ? lineno : 0;
	}
	return 0;

out_nomem:
	symbols_frame_clear(f);
	return -ENOMEM;
}

int symbols_module_offset(struct symbols *s, __u64 addr, __u64 *offset)
{
	Dwfl_Module *m = dwfl_addrmodule(s->dwfl, addr);
	Dwarf_Addr start;

	if (!m || !dwfl_module_info(m, NULL, &start, NULL, NULL, NULL, NULL, NULL))
		return -ENOENT;
	*offset = addr - start;
	return 0;
}

/* The process has one thread here: the one whose copy is unwound. */
static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct symbols *s = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = s;
	return s->pid;
}

/* Only the copied stack can be read: the process may be gone. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct symbols *s = arg;
	const struct stack_sample *c = s->sample;
	__u64 sp = c->regs[7];

	if (addr < sp || addr - sp > c->size || c->size - (addr - sp) < sizeof(*result))
		return false;
	memcpy(result, c->data + (addr - sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	struct symbols *s = thread_arg;
	Dwarf_Word regs[STACK_REGS];

	for (int i = 0; i < STACK_REGS; i++)
		regs[i] = s->sample->regs[i];
	dwfl_thread_state_register_pc(thread, regs[16]);
	return dwfl_thread_state_registers(thread, 0, STACK_REGS, regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct unwind_ctx {
	__u64 *pcs;
	size_t max, nr;
};

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct unwind_ctx *u = arg;
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(state, &pc, NULL) || !pc)
		return DWARF_CB_ABORT;
	if (u->nr == u->max)
		return DWARF_CB_ABORT;
	u->pcs[u->nr++] = pc;
	return DWARF_CB_OK;
}

int symbols_unwind(struct symbols *s, const struct stack_sample *sample, __u64 *pcs,
		   size_t max, bool *complete)
{
	struct unwind_ctx u = { .pcs = pcs, .max = max };
	int rc;

	*complete = false;
	if (!s->attached) {
		/* the backend (x86_64's registers and CFI rules) from the first module's ELF */
		if (!dwfl_attach_state(s->dwfl, NULL, s->pid, &thread_callbacks, s))
			return -ENOTSUP;
		s->attached = true;
	}
	s->sample = sample;
	rc = dwfl_getthread_frames(s->dwfl, s->pid, frame_cb, &u);
	/* 0: the CFI said the return address is undefined there, the outermost frame */
	*complete = rc == 0;
	return (int)u.nr;
}
