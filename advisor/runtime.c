// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The runtime behind an executable, from what the ELF file says about
 * itself rather than from its name, which wrappers and venvs change:
 *   cpython  a .PyRuntime section or the Py_Initialize / _PyRuntime symbols
 *            (Debian links libpython into /usr/bin/python3.x), or a
 *            libpython3* it needs or maps; a program embedding libpython
 *            counts as CPython too;
 *   nodejs   node:: symbols (_ZN4node...), a libnode.so, or an executable
 *            named node or nodejs;
 *   go       the .go.buildinfo, .gopclntab or .note.go.buildid section that
 *            every Go toolchain writes, stripped or not;
 *   jvm      the launcher's libjli.so or a libjvm.so (needed or mapped), or
 *            the JNI_CreateJavaVM symbol;
 *   native   anything else.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

enum runtime {
	RUNTIME_NATIVE,
	RUNTIME_CPYTHON,
	RUNTIME_NODEJS,
	RUNTIME_GO,
	RUNTIME_JVM,
};

static const char *const runtime_names[] = {
	[RUNTIME_NATIVE] = "native", [RUNTIME_CPYTHON] = "cpython", [RUNTIME_NODEJS] = "nodejs",
	[RUNTIME_GO] = "go",	     [RUNTIME_JVM] = "jvm",
};

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A shared library, by the file name it is needed or mapped under. */
static enum runtime runtime_of_library(const char *name)
{
	if (has_prefix(name, "libpython3"))
		return RUNTIME_CPYTHON;
	if (has_prefix(name, "libnode.so"))
		return RUNTIME_NODEJS;
	if (has_prefix(name, "libjvm.so") || has_prefix(name, "libjli.so"))
		return RUNTIME_JVM;
	return RUNTIME_NATIVE;
}

static enum runtime runtime_of_section(const char *name)
{
	if (!strcmp(name, ".go.buildinfo") || !strcmp(name, ".gopclntab") ||
	    !strcmp(name, ".note.go.buildid"))
		return RUNTIME_GO;
	if (!strcmp(name, ".PyRuntime"))
		return RUNTIME_CPYTHON;
	return RUNTIME_NATIVE;
}

static enum runtime runtime_of_symbol(const char *name)
{
	if (!strcmp(name, "Py_Initialize") || !strcmp(name, "_PyRuntime"))
		return RUNTIME_CPYTHON;
	if (has_prefix(name, "_ZN4node"))
		return RUNTIME_NODEJS;
	if (!strcmp(name, "JNI_CreateJavaVM"))
		return RUNTIME_JVM;
	return RUNTIME_NATIVE;
}

static enum runtime scan_dynamic(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Dyn dyn;

	for (size_t i = 0; data && i < n; i++) {
		const char *name;

		if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag != DT_NEEDED)
			continue;
		name = elf_strptr(elf, sh->sh_link, dyn.d_un.d_val);
		if (name && runtime_of_library(name) != RUNTIME_NATIVE)
			return runtime_of_library(name);
	}
	return RUNTIME_NATIVE;
}

static enum runtime scan_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Sym sym;

	for (size_t i = 0; data && i < n; i++) {
		const char *name;
		enum runtime rt;

		/* an undefined symbol is something the file uses, not what it is */
		if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name && (rt = runtime_of_symbol(name)) != RUNTIME_NATIVE)
			return rt;
	}
	return RUNTIME_NATIVE;
}

/* Sections first (cheap, and all a stripped Go binary has), then the
 * libraries the file needs, then its symbols. */
static int elf_runtime(int fd, enum runtime *rt)
{
	enum { PASS_SECTIONS, PASS_DYNAMIC, PASS_SYMBOLS, NR_PASSES };
	size_t shstrndx;
	Elf *elf;
	int err = 0;

	*rt = RUNTIME_NATIVE;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EIO;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return -EIO;
	if (elf_kind(elf) != ELF_K_ELF) {
		err = -ENOEXEC;
		goto out_end;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		err = -ENOEXEC;
		goto out_end;
	}

	for (int pass = 0; pass < NR_PASSES && *rt == RUNTIME_NATIVE; pass++) {
		Elf_Scn *scn = NULL;

		while (*rt == RUNTIME_NATIVE && (scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;

			if (!gelf_getshdr(scn, &sh))
				continue;
			if (pass == PASS_SECTIONS) {
				name = elf_strptr(elf, shstrndx, sh.sh_name);
				if (name)
					*rt = runtime_of_section(name);
			} else if (pass == PASS_DYNAMIC && sh.sh_type == SHT_DYNAMIC) {
				*rt = scan_dynamic(elf, scn, &sh);
			} else if (pass == PASS_SYMBOLS &&
				   (sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB)) {
				*rt = scan_symbols(elf, scn, &sh);
			}
		}
	}
out_end:
	elf_end(elf);
	return err;
}

static int runtime_of_file(const char *path, enum runtime *rt)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = elf_runtime(fd, rt);
	close(fd);
	return err;
}

static enum runtime runtime_of_exe_name(const char *path)
{
	const char *base = base_name(path);

	if (!strcmp(base, "node") || !strcmp(base, "nodejs"))
		return RUNTIME_NODEJS;
	return RUNTIME_NATIVE;
}

static int runtime_write(enum runtime rt, char *out, size_t len)
{
	const char *name = runtime_names[rt];

	if (!out || strlen(name) >= len)
		return -ENOSPC;
	memcpy(out, name, strlen(name) + 1);
	return 0;
}

int runtime_detect_path(const char *exe, char *out, size_t len)
{
	enum runtime rt;
	int err = runtime_of_file(exe, &rt);

	if (err)
		return err;
	if (rt == RUNTIME_NATIVE)
		rt = runtime_of_exe_name(exe);
	return runtime_write(rt, out, len);
}

/* The first runtime library among the files process pid maps. */
static int runtime_of_maps(pid_t pid, enum runtime *rt)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int err = 0;

	*rt = RUNTIME_NATIVE;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (*rt == RUNTIME_NATIVE && getline(&line, &cap, f) > 0) {
		/* address perms offset dev inode [path] */
		char *file = strchr(line, '/');

		if (!file)
			continue;
		file[strcspn(file, "\n")] = '\0';
		*rt = runtime_of_library(base_name(file));
	}
	if (ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	return err;
}

int runtime_detect(pid_t pid, char *out, size_t len)
{
	char path[64], exe[PATH_MAX];
	enum runtime rt;
	ssize_t n;
	int err;

	/* /proc/PID/exe opens the executable even when its path was deleted */
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	err = runtime_of_file(path, &rt);
	if (err)
		return err;
	if (rt == RUNTIME_NATIVE) {
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n < 0)
			return -errno;
		exe[n] = '\0';
		if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
			exe[n - 10] = '\0';
		rt = runtime_of_exe_name(exe);
	}
	if (rt == RUNTIME_NATIVE) {
		err = runtime_of_maps(pid, &rt);
		if (err)
			return err;
	}
	return runtime_write(rt, out, len);
}

/* libuv 1.46 threadpool.c: atoi(), 0 is 1, and unsigned: above 1024 (or below 0) is 1024 */
#define UV_THREADPOOL_MAX 1024

int runtime_knob_uv_threadpool_size(const char *text)
{
	long v = strtol(text, NULL, 10);

	if (v == 0)
		return 1;
	if (v < 0 || v > UV_THREADPOOL_MAX)
		return UV_THREADPOOL_MAX;
	return (int)v;
}

/* Go's runtime.atoi32: decimal digits only, and only a value above 0 counts */
int runtime_knob_gomaxprocs(const char *text)
{
	long v = 0;

	if (!*text)
		return -1;
	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9' || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v > 0 && v <= INT_MAX ? (int)v : -1;
}

int runtime_read_knobs(pid_t pid, struct runtime_knobs *k)
{
	char path[64], *var = NULL;
	size_t cap = 0;
	bool uv_seen = false, go_seen = false;
	FILE *f;
	int err = 0;

	k->uv_threadpool_size = -1;
	k->gomaxprocs = -1;
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/*
	 * NUL-separated NAME=value; the first of a name is the one getenv()
	 * finds. Nothing at all: the process is between its exec's start and
	 * the new stack's setup (the parent of a vfork() already runs then)
	 */
	if (getdelim(&var, &cap, '\0', f) <= 0)
		err = ferror(f) ? -EIO : -EAGAIN;
	else
		rewind(f);
	while (!err && getdelim(&var, &cap, '\0', f) > 0) {
		if (!uv_seen && has_prefix(var, "UV_THREADPOOL_SIZE=")) {
			uv_seen = true;
			k->uv_threadpool_size = runtime_knob_uv_threadpool_size(var + 19);
		} else if (!go_seen && has_prefix(var, "GOMAXPROCS=")) {
			go_seen = true;
			k->gomaxprocs = runtime_knob_gomaxprocs(var + 11);
		}
	}
	if (!err && ferror(f))
		err = -EIO;
	if (err)
		k->uv_threadpool_size = k->gomaxprocs = -1;
	free(var);
	fclose(f);
	return err;
}
