/*
 * auparse_dump.c -- prints what libauparse (the Linux audit project's parser) makes of an audit.log, for the
 * differential test (AuparseDifferentialTests.cs compiles it with `cc` at test time).
 *
 *   auparse_dump FILE
 *
 * For every event, in the order auparse hands them out, a line "E"; then for each of its records:
 *   R <TAB> line <TAB> type number <TAB> seconds.milliseconds:serial
 * then one line per field:
 *   F <TAB> name <TAB> auparse field type <TAB> raw value <TAB> interpreted value
 * Bytes outside 0x21..0x7e and the backslash are written as \xHH, so every line is printable and tab-separated.
 * Interpretation runs with AUPARSE_ESC_RAW: values are decoded, not re-escaped.
 */
#include <auparse.h>
#include <stdio.h>

static void put_escaped(const char *s)
{
	if (!s) {
		fputs("\\x(null)", stdout);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x21 || *p > 0x7e || *p == '\\')
			printf("\\x%02X", *p);
		else
			putchar(*p);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	auparse_state_t *au = auparse_init(AUSOURCE_FILE, argv[1]);
	if (!au) {
		perror("auparse_init");
		return 1;
	}
	auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
	int rc;
	while ((rc = auparse_next_event(au)) > 0) {
		puts("E");
		do {
			const au_event_t *e = auparse_get_timestamp(au);
			printf("R\t%u\t%d\t%lu.%03u:%lu\n", auparse_get_line_number(au), auparse_get_type(au),
			       e ? (unsigned long)e->sec : 0UL, e ? e->milli : 0U, e ? e->serial : 0UL);
			if (auparse_first_field(au) <= 0)
				continue;
			do {
				fputs("F\t", stdout);
				put_escaped(auparse_get_field_name(au));
				printf("\t%d\t", auparse_get_field_type(au));
				put_escaped(auparse_get_field_str(au));
				putchar('\t');
				put_escaped(auparse_interpret_field(au));
				putchar('\n');
			} while (auparse_next_field(au) > 0);
		} while (auparse_next_record(au) > 0);
	}
	auparse_destroy(au);
	return rc < 0 ? 1 : 0;
}
