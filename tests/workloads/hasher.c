// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * hasher [ROUNDS]: reads stdin to its end and hashes it with ROUNDS rounds of
 * mixing per 8-byte word, the CPU-heavy consumer half of `gen | hasher`.
 * Ground truth on stdout:
 *   truth hashed_bytes N
 *   truth hash HEX
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 16;
	unsigned long long bytes = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	static uint64_t buf[8192];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		size_t words = n / 8;

		if (n % 8)
			memset((char *)buf + n, 0, 8 - n % 8), words++;
		for (size_t i = 0; i < words; i++) {
			uint64_t w = buf[i];

			for (int r = 0; r < rounds; r++) {
				h ^= w + r;
				h *= 0x100000001b3ull;
				h ^= h >> 29;
			}
		}
		bytes += n;
	}
	printf("truth hashed_bytes %llu\ntruth hash %016llx\n", bytes, (unsigned long long)h);
	return n < 0 ? 2 : 0;
}
