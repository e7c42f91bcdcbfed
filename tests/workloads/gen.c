// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gen BYTES: writes BYTES bytes of pseudo-random data to stdout, the producer
 * half of the `gen | hasher` pipeline. Ground truth on stdout is not possible
 * (stdout is the data), so it writes "truth gen_bytes N" to stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long left = argc > 1 ? strtoull(argv[1], NULL, 10) : 300000000ull;
	unsigned long long total = left;
	uint64_t buf[8192], s = 0x9e3779b97f4a7c15ull;

	while (left) {
		size_t len = left < sizeof(buf) ? left : sizeof(buf);
		size_t off = 0;

		for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			buf[i] = s;
		}
		while (off < len) {
			ssize_t n = write(1, (char *)buf + off, len - off);

			if (n <= 0)
				return 2;
			off += n;
		}
		left -= len;
	}
	fprintf(stderr, "truth gen_bytes %llu\n", total);
	return 0;
}
