#!/usr/bin/env bash
# Fuzzes one target of the reading side with afl-fuzz through SharpFuzz (issue 12): the line parser (line), the
# VIRT dispatcher and re-encoder (dispatch), or the streaming reader (reader). See docs/reliability.md.
#
#   scripts/fuzz.sh --minutes N --target line|dispatch|reader [--out DIR] [--smoke]
#
# It installs nothing. It needs afl-fuzz (Debian: apt-get install -y afl++) and the SharpFuzz.CommandLine 2.3.0
# dotnet tool, which the repository's tool manifest (.config/dotnet-tools.json) names: `dotnet tool restore` fetches
# it into the NuGet cache like any package. Steps: publish fuzz/VirtAudit.Fuzz, write the target's seeds (the real
# capture in corpus/ and the project's generator), instrument VirtAudit.dll, run afl-fuzz for N minutes (niced, one
# process), then print afl's figures. Exit 0 when no crash or hang was saved, 1 when one was (their files are
# listed, or a seed crashed and afl skipped it; replay them with the uninstrumented harness:
# `dotnet build fuzz/VirtAudit.Fuzz -c Release && dotnet fuzz/VirtAudit.Fuzz/bin/Release/net10.0/VirtAudit.Fuzz.dll
# replay TARGET FILE`), 2 on bad usage, 3 when a tool is missing. --smoke: keep nothing of a clean run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

minutes=""
target=""
out=""
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:-}; shift 2 ;;
    --target) target=${2:-}; shift 2 ;;
    --out) out=${2:-}; shift 2 ;;
    --smoke) smoke=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$target" in line|dispatch|reader) ;; *) echo "fuzz.sh: --target line|dispatch|reader is required" >&2; exit 2 ;; esac
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then echo "fuzz.sh: --minutes N is required" >&2; exit 2; fi
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); print (s < 10 ? 10 : s) }')
out=${out:-$root/artifacts/fuzz/$target}

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz.sh: afl-fuzz is missing; on Debian: apt-get install -y afl++" >&2
  exit 3
fi
if ! dotnet tool restore >/dev/null; then
  echo "fuzz.sh: 'dotnet tool restore' could not fetch SharpFuzz.CommandLine 2.3.0 (.config/dotnet-tools.json)" >&2
  exit 3
fi

rm -rf "$out"
mkdir -p "$out"
echo "fuzz.sh: publishing the harness into $out/bin"
dotnet publish fuzz/VirtAudit.Fuzz -c Release -o "$out/bin" --nologo -v quiet >"$out/publish.log" 2>&1 \
  || { cat "$out/publish.log" >&2; exit 1; }
dotnet "$out/bin/VirtAudit.Fuzz.dll" seeds "$target" "$out/seeds" "$root"
# Only the library under test is instrumented: not the harness, the generator, SharpFuzz or the framework.
dotnet tool run sharpfuzz "$out/bin/VirtAudit.dll" >/dev/null

# dotnet is not an afl-instrumented binary (SharpFuzz reports coverage from inside the instrumented VirtAudit.dll);
# no UI without a terminal; the machine's core pattern and CPU governor are left as they are; no CPU pinning on a
# shared machine; .NET's start-up may be slow on a loaded machine.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=120000
[ -t 1 ] && unset AFL_NO_UI
echo "fuzz.sh: afl-fuzz on '$target' for ${seconds}s"
nice -n 10 afl-fuzz -V "$seconds" -t 5000 -m none -i "$out/seeds" -o "$out/findings" \
  -- dotnet "$out/bin/VirtAudit.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || {
  status=$?
  tail -n 30 "$out/afl.log" >&2
  echo "fuzz.sh: afl-fuzz failed ($status)" >&2
  exit 1
}

# afl-fuzz skips a seed that crashes (with a warning) and goes on: that is a finding too.
if grep -q "results in a crash, skipping" "$out/afl.log"; then
  grep "results in a crash, skipping" "$out/afl.log" | sed 's/\x1b\[[0-9;]*m//g' >&2
  echo "fuzz.sh: a seed crashes; replay it with: dotnet fuzz/VirtAudit.Fuzz/bin/Release/net10.0/VirtAudit.Fuzz.dll replay $target $out/seeds/SEED (build fuzz/VirtAudit.Fuzz -c Release first: the instrumented copy in $out/bin runs only under afl)" >&2
  exit 1
fi

stats="$out/findings/default/fuzzer_stats"
[ -f "$stats" ] || { tail -n 30 "$out/afl.log" >&2; echo "fuzz.sh: no fuzzer_stats" >&2; exit 1; }
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(stat saved_crashes)
hangs=$(stat saved_hangs)
echo "fuzz.sh: target=$target time=$(stat run_time)s execs=$(stat execs_done) execs_per_sec=$(stat execs_per_sec)" \
  "corpus=$(stat corpus_count) edges=$(stat edges_found)/$(stat total_edges) bitmap_cvg=$(stat bitmap_cvg)" \
  "crashes=$crashes hangs=$hangs"
if [ "${crashes:-0}" != "0" ] || [ "${hangs:-0}" != "0" ]; then
  ls "$out/findings/default/crashes" "$out/findings/default/hangs" 2>/dev/null | grep -v README || true
  echo "fuzz.sh: replay with: dotnet build fuzz/VirtAudit.Fuzz -c Release && dotnet fuzz/VirtAudit.Fuzz/bin/Release/net10.0/VirtAudit.Fuzz.dll replay $target $out/findings/default/crashes/id*" >&2
  echo "fuzz.sh: (the instrumented copy in $out/bin runs only under afl)" >&2
  exit 1
fi
[ "$smoke" = 1 ] && rm -rf "$out"
exit 0
