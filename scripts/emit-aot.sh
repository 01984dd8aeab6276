#!/usr/bin/env bash
# `virtaudit emit` in the Native AOT build against the JIT (dotnet tool) build: publishes the CLI with Native AOT
# (`dotnet publish src/VirtAudit.Cli -c Release -r linux-x64 -p:VirtAuditPublish=aot`, failing on any IL2xxx/IL3xxx
# trim or AOT warning), builds it for the JIT (`dotnet build -c Release`), runs the same emit command lines through
# both (every current variant, every value kind, and the usage errors: bad values, a field of another record, a
# missing constant, a record libvirt could not write), then check, parse and stats on the corpus, and compares exit
# code, stdout and stderr byte for byte (a case's first lines are printed; the files stay in DIR with --keep).
# Takes minutes on two cores, so it is not part of `dotnet test`; docs/performance.md shows a run.
#
#   scripts/emit-aot.sh [--workdir DIR] [--keep] [--no-publish]
#
#   --workdir DIR   scratch folder for the two builds and the outputs (default: a new temporary one)
#   --keep          keep the scratch folder
#   --no-publish    reuse DIR/aot and DIR/jit from an earlier run (with --workdir)
#
# Needs the .NET SDK, clang and zlib1g-dev (Native AOT's linker and libz). Exit 0 when every case is identical.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=
keep=0
publish=1
while [ $# -gt 0 ]; do
  case "$1" in
    --workdir) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-publish) publish=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "emit-aot.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$work" ]; then
  work=$(mktemp -d -t virtaudit-emit-aot.XXXXXX)
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

if [ "$publish" = 1 ]; then
  for tool in clang; do
    command -v "$tool" >/dev/null || { echo "emit-aot.sh: Native AOT needs $tool: apt-get install -y clang zlib1g-dev" >&2; exit 2; }
  done
  echo "publishing Native AOT into $work/aot ..."
  if ! dotnet publish "$repo/src/VirtAudit.Cli" -c Release -r linux-x64 -p:VirtAuditPublish=aot -o "$work/aot" >"$work/publish-aot.log" 2>&1; then
    cat "$work/publish-aot.log" >&2
    exit 1
  fi
  if grep -E 'warning IL[23][0-9]{3}' "$work/publish-aot.log" | sort -u >"$work/il-warnings.txt" && [ -s "$work/il-warnings.txt" ]; then
    echo "emit-aot.sh: the AOT publish has trim/AOT warnings:" >&2
    cat "$work/il-warnings.txt" >&2
    exit 1
  fi
  echo "AOT publish: no IL2xxx/IL3xxx warnings"
  echo "building the JIT build into $work/jit ..."
  dotnet build "$repo/src/VirtAudit.Cli" -c Release -o "$work/jit" >"$work/build-jit.log" 2>&1 || { cat "$work/build-jit.log" >&2; exit 1; }
fi

aot=("$work/aot/VirtAudit.Cli")
jit=(dotnet "$work/jit/VirtAudit.Cli.dll")
u=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11
g="--virt kvm --vm rhel9 --uuid $u"

# One command line per entry (shell words; quotes as in a shell), run in the repository.
cases=(
  # the acceptance trio: control, a resource record with enum fields, machine-id
  "emit control --op start --reason booted $g --vm-pid 4242"
  "emit resource --resrc net --reason open --virt qemu --vm 'a b' --uuid $u --net 52:54:00:ab:cd:01 --path /dev/net/tun --rdev 0A:C8"
  "emit machine-id $g --vm-ctx system_u:system_r:svirt_t:s0:c1,c2 --img-ctx system_u:object_r:svirt_image_t:s0:c1,c2 --model selinux"
  # every other current variant
  "emit control --virt lxc --op init --vm web1 --uuid $u --vm-pid 901 --init-pid 902 --pid-ns 4026532290"
  "emit control --op stop --reason destroyed $g --vm-pid 0 --failed"
  "emit resource --resrc disk --reason attach $g --old-disk ? --new-disk '/var/lib/libvirt/images/web 1.qcow2'"
  "emit resource --resrc fs --reason start $g --old-fs ? --new-fs /srv/share"
  "emit resource --resrc net --reason detach $g --old-net 52:54:00:6b:3c:58 --new-net ?"
  "emit resource --resrc chardev --reason start $g --old-chardev ? --new-chardev /dev/pts/3"
  "emit resource --resrc smartcard --reason start $g --old-smartcard ? --new-smartcard nss-smartcard-device"
  "emit resource --resrc rng --reason start $g --old-rng ? --new-rng /dev/urandom"
  "emit resource --resrc dev --reason start $g --bus usb --device 002.004"
  "emit resource --resrc hostdev --reason attach --virt lxc --vm web1 --uuid $u --chardev /dev/ttyS1"
  "emit resource --resrc tpm --reason start $g --device /dev/tpm0"
  "emit resource --resrc tpm-emulator --reason start $g --device /run/libvirt/qemu/swtpm/3-rhel9-swtpm.sock"
  "emit resource --resrc tpm-external --reason start $g --device /run/swtpm/external.sock"
  "emit resource --resrc cgroup --reason allow $g --cgroup /sys/fs/cgroup/machine.slice/ --class major --category pty --maj 88 --acl rw"
  "emit resource --resrc cgroup --reason allow $g --cgroup /sys/fs/cgroup/machine.slice/ --class path --path /dev/kvm --rdev 0A:E8 --acl rw"
  "emit resource --resrc cgroup --reason deny $g --cgroup /sys/fs/cgroup/machine.slice/ --class all"
  "emit resource --resrc mem --reason update $g --old-mem 4194304 --new-mem 8388608"
  "emit resource --resrc vcpu --reason update $g --old-vcpu 2 --new-vcpu 4"
  "emit resource --resrc iothread --reason start $g --old-iothread 0 --new-iothread 2"
  "emit resource --resrc shmem --reason start $g --size 18446744073709551615 --path /dev/shm/shmem0"
  "emit resource --resrc ivshmem-socket --reason attach $g --path /var/lib/libvirt/shmem-ivsock0-sock"
  "emit resource --resrc evdev --reason start $g --path /dev/input/by-id/usb-kbd-event-kbd"
  # enum values the schema does not list are kept verbatim
  "emit control --virt nvmm --op start --reason api --vm g --uuid $u --vm-pid -1"
  # usage errors: each value kind's bad text, a field of another record, no variant, a record libvirt could not write
  "emit control --op start --reason booted $g --vm-pid 4x2"
  "emit control --op start --reason booted --virt kvm --vm g --uuid 3f1a8c52 --vm-pid 1"
  "emit resource --resrc shmem --reason start $g --size -1 --path /dev/shm/s"
  "emit resource --resrc cgroup --reason allow $g --cgroup c --class major --category major --maj 1FF --acl rwm"
  "emit resource --resrc net --reason open $g --net 52:54:00:ab:cd --path /dev/net/tun --rdev 0A:C8"
  "emit resource --resrc net --reason open $g --net 52:54:00:ab:cd:01 --path /dev/net/tun --rdev 0AC8"
  "emit control --op stop --reason shutdown $g --vm-pid 0 --new-disk /x"
  "emit resource $g"
  "emit control --op start --reason booted $g --vm-pid 1 --init-pid 2"
  "emit resource --resrc cgroup --reason allow $g --cgroup /m --class major --category x"
  "emit resource --resrc evdev --reason start $g --path \$'a\\x01b'"
  # the other commands on the real capture (the AOT publish roots no assembly: trimming must not change them)
  "check corpus/libvirt-9.0/audit.log"
  "parse --all --format checksum corpus/libvirt-9.0/audit.log"
  "parse --format jsonl corpus/libvirt-9.0/audit.log"
  "parse --format ecs corpus/libvirt-9.0/audit.log"
  "parse --format table corpus/libvirt-9.0/audit.log"
  "stats corpus/libvirt-9.0/audit.log"
  "check corpus/libvirt-9.0/daemon-logs/virt-launcher.log"
)

same=0
differ=0
n=0
for line in "${cases[@]}"; do
  n=$((n + 1))
  eval "args=($line)"
  set +e
  (cd "$repo" && "${aot[@]}" "${args[@]}") >"$work/$n.aot.out" 2>"$work/$n.aot.err"; echo $? >"$work/$n.aot.rc"
  (cd "$repo" && "${jit[@]}" "${args[@]}") >"$work/$n.jit.out" 2>"$work/$n.jit.err"; echo $? >"$work/$n.jit.rc"
  set -e
  if cmp -s "$work/$n.aot.out" "$work/$n.jit.out" && cmp -s "$work/$n.aot.err" "$work/$n.jit.err" && cmp -s "$work/$n.aot.rc" "$work/$n.jit.rc"; then
    same=$((same + 1))
    printf 'same  exit=%s  virtaudit %s\n' "$(cat "$work/$n.aot.rc")" "$line"
    head -q -n 3 "$work/$n.aot.out" "$work/$n.aot.err" | cut -c1-200 | sed 's/^/      | /'
  else
    differ=$((differ + 1))
    printf 'DIFF  virtaudit %s\n' "$line"
    for build in aot jit; do
      printf '      %s exit=%s\n' "$build" "$(cat "$work/$n.$build.rc")"
      head -q -n 5 "$work/$n.$build.out" "$work/$n.$build.err" | cut -c1-200 | sed "s/^/      $build | /"
    done
  fi
done

echo "emit-aot.sh: $n cases, $same identical, $differ different (AOT: $(du -h "${aot[0]}" | cut -f1))"
[ "$differ" = 0 ]
