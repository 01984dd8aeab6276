/*
 * auparse_walk.c: the libauparse peer of `virtaudit check` (bench/compare.sh).
 *
 * Opens an audit.log with libauparse (the Linux audit project's own parser), goes through every event and every
 * record, and in each VIRT_* record (2500-2502) through every field (auparse splits the msg='...' payload into
 * fields of its own), folding "name=value\n" into a 64-bit FNV-1a hash so that no work can be optimized away.
 *
 *   auparse_walk records   FILE   events and records only (auparse's reading, splitting and grouping)
 *   auparse_walk fields    FILE   + every field of the VIRT records, raw (auparse_get_field_str)
 *   auparse_walk interpret FILE   + every field interpreted (auparse_interpret_field: hex decoded, ids named,
 *                                  the ENRICHED tail used)
 *
 * Prints one line of key=value pairs; elapsed_s covers auparse_init to auparse_destroy.
 * Build: cc -O2 -Wall -Wextra -o auparse_walk auparse_walk.c -lauparse
 */
#define _GNU_SOURCE
#include <auparse.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum mode { WALK_RECORDS, WALK_FIELDS, WALK_INTERPRET };

static uint64_t fnv1a(uint64_t hash, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "(null)");
	while (*p) {
		hash = (hash ^ *p++) * 0x100000001b3ULL;
	}
	return hash;
}

static uint64_t fnv1a_byte(uint64_t hash, unsigned char c)
{
	return (hash ^ c) * 0x100000001b3ULL;
}

static double seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s records|fields|interpret FILE\n", argv[0]);
		return 2;
	}

	enum mode mode;
	if (strcmp(argv[1], "records") == 0) {
		mode = WALK_RECORDS;
	} else if (strcmp(argv[1], "fields") == 0) {
		mode = WALK_FIELDS;
	} else if (strcmp(argv[1], "interpret") == 0) {
		mode = WALK_INTERPRET;
	} else {
		fprintf(stderr, "auparse_walk: unknown mode '%s' (records, fields or interpret)\n", argv[1]);
		return 2;
	}

	struct stat info;
	if (stat(argv[2], &info) != 0) {
		perror(argv[2]);
		return 3;
	}

	unsigned long long events = 0, records = 0, virt_records = 0, fields = 0;
	uint64_t hash = 0xcbf29ce484222325ULL;
	double start = seconds();
	auparse_state_t *au = auparse_init(AUSOURCE_FILE, argv[2]);
	if (au == NULL) {
		perror("auparse_init");
		return 3;
	}

	int more;
	while ((more = auparse_next_event(au)) > 0) {
		events++;
		if (auparse_first_record(au) <= 0) {
			continue;
		}
		do {
			records++;
			int type = auparse_get_type(au);
			hash = fnv1a_byte(hash, (unsigned char)type);
			if (type < 2500 || type > 2502) {
				continue;
			}
			virt_records++;
			if (mode == WALK_RECORDS) {
				continue;
			}
			if (auparse_first_field(au) <= 0) {
				continue;
			}
			do {
				fields++;
				hash = fnv1a(hash, auparse_get_field_name(au));
				hash = fnv1a_byte(hash, '=');
				hash = fnv1a(hash, mode == WALK_FIELDS ? auparse_get_field_str(au) : auparse_interpret_field(au));
				hash = fnv1a_byte(hash, '\n');
			} while (auparse_next_field(au) > 0);
		} while (auparse_next_record(au) > 0);
	}
	auparse_destroy(au);
	double elapsed = seconds() - start;
	if (more < 0) {
		fprintf(stderr, "auparse_walk: auparse_next_event failed\n");
		return 1;
	}

	double mb = (double)info.st_size / 1e6;
	printf("mode=%s bytes=%lld events=%llu records=%llu virt_records=%llu fields=%llu fnv1a=%016llx elapsed_s=%.4f mb_per_s=%.1f records_per_s=%.0f\n",
	       argv[1], (long long)info.st_size, events, records, virt_records, fields, (unsigned long long)hash, elapsed,
	       elapsed > 0 ? mb / elapsed : 0.0, elapsed > 0 ? (double)records / elapsed : 0.0);
	return 0;
}
