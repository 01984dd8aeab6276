/*
 * read_floor.c: the floor under any parser of a log (bench/compare.sh): read(2) the file in 1 MiB blocks and find
 * every line feed with memchr. Nothing is parsed; a parser cannot be faster than this on the same machine.
 *
 * Prints one line of key=value pairs (elapsed_s from open to close).
 * Build: cc -O2 -Wall -Wextra -o read_floor read_floor.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BLOCK = 1 << 20 };

static double seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}

	char *block = malloc(BLOCK);
	if (block == NULL) {
		perror("malloc");
		return 3;
	}

	double start = seconds();
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 3;
	}

	long long bytes = 0, lines = 0;
	ssize_t n;
	while ((n = read(fd, block, BLOCK)) > 0) {
		bytes += n;
		const char *p = block, *end = block + n;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	if (n < 0) {
		perror("read");
		return 3;
	}
	close(fd);
	double elapsed = seconds() - start;
	free(block);

	printf("mode=read bytes=%lld lines=%lld elapsed_s=%.4f mb_per_s=%.1f lines_per_s=%.0f\n", bytes, lines, elapsed,
	       elapsed > 0 ? (double)bytes / 1e6 / elapsed : 0.0, elapsed > 0 ? (double)lines / elapsed : 0.0);
	return 0;
}
