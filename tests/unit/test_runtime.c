// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Runtime detection on the real executables of this machine. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "advisor/runtime.h"

extern char **environ;

static void expect_path(const char *path, const char *want)
{
	char real[PATH_MAX], out[32];
	int err;

	if (!realpath(path, real))
		cr_skip_test("%s is not installed", path);
	err = runtime_detect_path(real, out, sizeof(out));
	cr_assert_eq(err, 0, "%s: %s", real, strerror(-err));
	cr_expect_str_eq(out, want, "%s", real);
}

Test(runtime, native_true)
{
	expect_path("/bin/true", "native");
}

Test(runtime, python3_path)
{
	expect_path("/usr/bin/python3", "cpython");
}

Test(runtime, node_path)
{
	expect_path("/usr/bin/node", "nodejs");
}

Test(runtime, java_path)
{
	expect_path("/usr/bin/java", "jvm");
}

Test(runtime, python3_process)
{
	char *argv[] = { "python3", "-c", "import time; time.sleep(2)", NULL };
	posix_spawn_file_actions_t fa;
	char out[32];
	pid_t pid;
	int err, status;

	if (access("/usr/bin/python3", X_OK))
		cr_skip_test("python3 is not installed");
	/*
	 * Not through PATH, where a pyenv shim is a shell script. posix_spawn
	 * returns once the child has exec()ed; the child keeps none of
	 * Criterion's descriptors.
	 */
	cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
	cr_assert_eq(posix_spawn_file_actions_addclosefrom_np(&fa, 3), 0);
	cr_assert_eq(posix_spawn(&pid, "/usr/bin/python3", &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	err = runtime_detect(pid, out, sizeof(out));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	cr_assert_eq(err, 0, "%s", strerror(-err));
	cr_expect_str_eq(out, "cpython");
}

Test(runtime, self_is_native)
{
	char out[32];

	cr_assert_eq(runtime_detect(getpid(), out, sizeof(out)), 0);
	cr_expect_str_eq(out, "native");
}

Test(runtime, errors)
{
	char dir[] = "/tmp/advisor-rt-XXXXXX", path[64], out[32];
	FILE *f;

	cr_expect_eq(runtime_detect_path("/nonexistent/advisor", out, sizeof(out)), -ENOENT);
	cr_expect_eq(runtime_detect(INT_MAX, out, sizeof(out)), -ENOENT);
	cr_expect_eq(runtime_detect_path("/bin/true", out, 4), -ENOSPC);

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/script", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("#!/usr/bin/python3\nprint('not ELF')\n", f);
	fclose(f);
	cr_expect_eq(runtime_detect_path(path, out, sizeof(out)), -ENOEXEC);
	unlink(path);
	rmdir(dir);
}

/*
 * Go and an embedded CPython without the toolchains: a tiny C program with
 * the section each runtime's linker writes.
 */
static void expect_section(const char *section, const char *want)
{
	char dir[] = "/tmp/advisor-rt-XXXXXX", src[64], exe[64], cmd[256], out[32];
	FILE *f;
	int err;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/x.c", dir);
	snprintf(exe, sizeof(exe), "%s/x", dir);
	f = fopen(src, "w");
	cr_assert_not_null(f);
	fprintf(f,
		"__attribute__((used, section(\"%s\"))) int marker = 1;\n"
		"int main(void) { return marker - 1; }\n",
		section);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "${CC:-cc} -o %s %s 2>/dev/null", exe, src);
	if (system(cmd)) {
		unlink(src);
		rmdir(dir);
		cr_skip_test("no C compiler to build the sample");
	}
	err = runtime_detect_path(exe, out, sizeof(out));
	unlink(exe);
	unlink(src);
	rmdir(dir);
	cr_assert_eq(err, 0, "%s", strerror(-err));
	cr_expect_str_eq(out, want, "section %s", section);
}

Test(runtime, go_section)
{
	expect_section(".go.buildinfo", "go");
}

Test(runtime, pyruntime_section)
{
	expect_section(".PyRuntime", "cpython");
}

/* The pool sizes as libuv and Go read their variables, at and around the edges. */
Test(runtime, knob_parsing)
{
	static const struct {
		const char *text;
		int uv, go;
	} cases[] = {
		{ "2", 2, 2 },	     { "8", 8, 8 },	      { "0", 1, -1 },	  { "", 1, -1 },
		{ "abc", 1, -1 },    { "3x", 3, -1 },	      { "-1", 1024, -1 }, { "1024", 1024, 1024 },
		{ "1025", 1024, 1025 }, { "99999999999", 1024, -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(runtime_knob_uv_threadpool_size(cases[i].text), cases[i].uv,
			     "UV_THREADPOOL_SIZE=%s", cases[i].text);
		cr_expect_eq(runtime_knob_gomaxprocs(cases[i].text), cases[i].go, "GOMAXPROCS=%s",
			     cases[i].text);
	}
}

/* A live process's environment: what it was started with, the first of a name; unset is -1. */
Test(runtime, knobs_of_a_process)
{
	char *argv[] = { "/bin/sleep", "10", NULL };
	char *env_set[] = { "A=1", "UV_THREADPOOL_SIZE=2", "GOMAXPROCS=3", "GOMAXPROCS=5", NULL };
	char *env_unset[] = { "A=1", NULL };
	char **envs[] = { env_set, env_unset };
	int want[][2] = { { 2, 3 }, { -1, -1 } };
	struct runtime_knobs k;

	for (int i = 0; i < 2; i++) {
		pid_t pid;
		int err;

		cr_assert_eq(posix_spawn(&pid, "/bin/sleep", NULL, NULL, argv, envs[i]), 0);
		/* posix_spawn() returns as the exec begins, before the new stack is set up */
		for (int tries = 0; (err = runtime_read_knobs(pid, &k)) == -EAGAIN && tries < 1000;
		     tries++)
			usleep(1000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		cr_assert_eq(err, 0, "%s", strerror(-err));
		cr_expect_eq(k.uv_threadpool_size, want[i][0], "case %d: %d", i, k.uv_threadpool_size);
		cr_expect_eq(k.gomaxprocs, want[i][1], "case %d: %d", i, k.gomaxprocs);
	}
	/* gone: unknown, and the error says why */
	cr_expect_eq(runtime_read_knobs(999999999, &k), -ENOENT);
	cr_expect_eq(k.uv_threadpool_size, -1);
	cr_expect_eq(k.gomaxprocs, -1);
}
