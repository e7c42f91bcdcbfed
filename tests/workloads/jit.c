// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * jit MS: code in anonymous memory, as a JIT compiler makes it, named in a
 * perf map the way node --perf-basic-prof and python3 -X perf name theirs
 * (/tmp/perf-PID.map). It runs the code for about MS milliseconds of CPU.
 * Ground truth: the process's pid (the map's name) and the code's address.
 * The map is left behind, as runtimes leave theirs: the caller removes it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "truth.h"

/* the name the map gives the code: a space and a colon in it, as in node's names */
#define JIT_NAME "JIT:spin_loop jit.js:1"

/* x86-64: rax = rdi; do rax-- while rax; ret */
static const unsigned char spin_code[] = {
	0x48, 0x89, 0xf8, /* mov %rdi,%rax */
	0x48, 0xff, 0xc8, /* dec %rax */
	0x75, 0xfb, /* jnz -5 */
	0xc3, /* ret */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double ms = argc > 1 ? atof(argv[1]) : 300, start;
	unsigned char *code;
	char path[64];
	FILE *map;

	if (argc > 2 || ms <= 0) {
		fprintf(stderr, "usage: jit [MS]\n");
		return 2;
	}
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memcpy(code, spin_code, sizeof(spin_code));
	if (mprotect(code, 4096, PROT_READ | PROT_EXEC)) {
		perror("mprotect");
		return 1;
	}
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	map = fopen(path, "w");
	if (!map) {
		perror(path);
		return 1;
	}
	fprintf(map, "%lx %zx %s\n", (unsigned long)(uintptr_t)code, sizeof(spin_code), JIT_NAME);
	fclose(map);
	truth("pid %d", (int)getpid());
	start = now_ms();
	while (now_ms() - start < ms)
		((void (*)(unsigned long))code)(10 * 1000 * 1000);
	return 0;
}
