// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * compat_read PATH: reads PATH (a FIFO a slow writer outside the tree feeds)
 * with the 32-bit syscall interface (int $0x80: ia32 read is number 3, the
 * x86_64 close; the fd goes in ebx), as a 32-bit program does. Ground truth:
 *   truth compat 1|0     whether the kernel runs 32-bit syscalls at all (a kernel
 *                        with IA32 emulation off faults on int $0x80)
 *   truth lines N        lines read
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "truth.h"

static long read32(int fd, void *buf, unsigned int len)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"(3L), "b"((long)fd), "c"((long)(unsigned long)buf), "d"((long)len)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void no_compat(int sig)
{
	(void)sig;
	truth("compat 0");
	_exit(0);
}

int main(int argc, char **argv)
{
	/* the 32-bit interface takes 32-bit pointers */
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
			 -1, 0);
	unsigned long lines = 0;
	long n;
	int fd;

	if (argc < 2 || buf == MAP_FAILED)
		return 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 2;
	signal(SIGSEGV, no_compat);
	n = read32(fd, buf, 64);
	truth("compat %d", n != -38); /* ENOSYS: no IA32 emulation */
	while (n > 0) {
		lines++;
		n = read32(fd, buf, 64);
	}
	truth("lines %lu", lines);
	return 0;
}
