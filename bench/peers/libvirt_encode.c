/*
 * libvirt_encode.c: libvirt's own emit path for one VIRT_RESOURCE disk record (bench/compare.sh), the peer of
 * VirtAudit's EncodeBenchmarks.Disk_10PercentHex. As src/conf/domain_audit.c and libaudit do it:
 *   virAuditEncode = audit_encode_nv_string() for vm, old-disk and new-disk (1 name in 10 needs hex),
 *   g_strdup_printf() of the payload,
 *   and the trailer audit_log_user_message() adds: exe encoded the same way, then snprintf of
 *   "%s exe=... hostname=? addr=? terminal=? res=success" into a stack buffer.
 * No netlink send: only the bytes are made.
 *
 *   libvirt_encode [RECORDS]   (default 2000000)   prints records=, elapsed_s=, ns_per_record=
 * Build: cc -O2 -Wall -Wextra -o libvirt_encode libvirt_encode.c $(pkg-config --cflags --libs glib-2.0) -laudit
 */
#include <glib.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
	if (count <= 0) {
		fprintf(stderr, "usage: %s [RECORDS]\n", argv[0]);
		return 2;
	}

	/* The inputs of EncodeBenchmarks: the plain name is written quoted; the other has a space and quotes (hex). */
	const char *plain = "rhel9-web-01";
	const char *awkward = "audit-vm2 \"test\"";
	char line[8970]; /* MAX_AUDIT_MESSAGE_LENGTH of libaudit */
	size_t total = 0;
	double start = seconds();
	for (long i = 0; i < count; i++) {
		char *vm = audit_encode_nv_string("vm", i % 10 == 0 ? awkward : plain, 0);
		char *old_disk = audit_encode_nv_string("old-disk", "?", 0);
		char *new_disk = audit_encode_nv_string("new-disk", "/var/lib/libvirt/images/rhel9-web-01.qcow2", 0);
		char *payload = g_strdup_printf("virt=%s resrc=%s reason=%s %s uuid=%s %s %s", "kvm", "disk", "start", vm,
		                                "3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11", old_disk, new_disk);
		char *exe = audit_encode_nv_string("exe", "/usr/sbin/libvirtd", 0);
		int n = snprintf(line, sizeof line, "%s %s hostname=%s addr=%s terminal=%s res=%s", payload, exe, "?", "?", "?",
		                 "success");
		total += n > 0 ? (size_t)n : 0;
		free(vm);
		free(old_disk);
		free(new_disk);
		g_free(payload);
		free(exe);
	}
	double elapsed = seconds() - start;

	printf("records=%ld bytes=%zu elapsed_s=%.4f ns_per_record=%.1f\n", count, total, elapsed, elapsed * 1e9 / (double)count);
	return 0;
}
