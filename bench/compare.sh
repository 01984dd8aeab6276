#!/usr/bin/env bash
# Side-by-side comparison of virtaudit with its C peers (bench/peers, built here from source) on one audit.log generated
# by the project's own generator (bench/VirtAudit.LogGenerator.Tool): libauparse (`auparse_walk interpret`) against
# `virtaudit parse FILE --all --format checksum` (the headline ratio) and `virtaudit check`, the read(2)+memchr floor
# (read_floor), virtaudit's start-up, and on the emit side libvirt's own encode path (libvirt_encode) against the
# BenchmarkDotNet encode benchmark. The tools are run alternately (A B C D A B C D ...) in one session, so that the
# noise of a shared machine hits them alike; the tables give medians and ratios of medians. See docs/performance.md.
#
#   bench/compare.sh [--lines N] [--runs R] [--encode-rounds K] [--workdir DIR] [--keep] [--build aot|r2r|jit]
#
#   --lines N          lines of the generated log (default 1000000: ~315 MB)
#   --runs R           runs of each whole-file tool (default 5)
#   --encode-rounds K  rounds of the emit-side pair (default 3)
#   --workdir DIR      scratch folder (default: a new temporary one); the log is generated there, never in the repo
#   --keep             keep the scratch folder (the log, the raw timings) instead of deleting it
#   --build B          how virtaudit is built: aot (Native AOT, the default when clang and zlib1g-dev are installed),
#                      r2r (ReadyToRun, the fallback) or jit (plain dotnet build)
#
# Needs the .NET SDK, a C compiler, python3, GNU time and Debian's libauparse-dev libaudit-dev libglib2.0-dev; the
# Native AOT build needs clang and zlib1g-dev too. It installs nothing: when something is missing it stops (or, for
# AOT, falls back to ReadyToRun) and prints the apt-get line to run. Runs from the repository alone.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
lines=1000000
runs=5
encode_rounds=3
work=
keep=0
build=
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --encode-rounds) encode_rounds=$2; shift 2 ;;
    --workdir) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/virtaudit-compare.XXXXXX)
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
else
  mkdir -p "$work"
fi
case "$work" in *[[:space:]]*) echo "compare.sh: the scratch folder must not contain spaces: $work" >&2; exit 2 ;; esac

log() { printf '== %s\n' "$*" >&2; }

# --- system packages (checked, never installed) -----------------------------------------------------------------
missing=
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -x /usr/bin/time ] || missing="$missing time"
for p in libauparse-dev libaudit-dev libglib2.0-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "compare.sh: missing:$missing. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 2
fi
command -v dotnet >/dev/null 2>&1 || { echo "compare.sh: the .NET SDK (dotnet) is not on PATH" >&2; exit 2; }

# --- builds -----------------------------------------------------------------------------------------------------
log "building the C peers (bench/peers) into $work/peer"
sh "$repo/bench/peers/build.sh" "$work/peer"

# Native AOT starts in ~10 ms where the JIT build takes ~60 ms and more when the other core is busy
# (docs/performance.md, "Start-up"); it needs clang and zlib1g-dev, ReadyToRun needs nothing more.
aot_missing=
command -v clang >/dev/null 2>&1 || aot_missing="$aot_missing clang"
dpkg -s zlib1g-dev >/dev/null 2>&1 || aot_missing="$aot_missing zlib1g-dev"
if [ -z "$build" ]; then
  if [ -z "$aot_missing" ]; then build=aot; else
    build=r2r
    echo "compare.sh: Native AOT needs$aot_missing; using ReadyToRun. For the AOT build: sudo apt-get install -y$aot_missing" >&2
  fi
fi
case "$build" in
  aot|r2r) [ "$build" = r2r ] || [ -z "$aot_missing" ] || { echo "compare.sh: --build aot needs$aot_missing: sudo apt-get install -y$aot_missing" >&2; exit 2; }
    log "publishing virtaudit ($build, linux-x64, Release) into $work/cli"
    dotnet publish "$repo/src/VirtAudit.Cli/VirtAudit.Cli.csproj" -c Release -r linux-x64 -p:VirtAuditPublish="$build" -o "$work/cli" --nologo -v quiet >"$work/build-cli.txt" 2>&1 \
      || { cat "$work/build-cli.txt" >&2; exit 1; } ;;
  jit) log "building virtaudit (Release) into $work/cli"
    dotnet build "$repo/src/VirtAudit.Cli/VirtAudit.Cli.csproj" -c Release -o "$work/cli" --nologo -v quiet >"$work/build-cli.txt" 2>&1 \
      || { cat "$work/build-cli.txt" >&2; exit 1; } ;;
  *) echo "compare.sh: --build must be aot, r2r or jit" >&2; exit 2 ;;
esac
cli="$work/cli/VirtAudit.Cli"
log "building the log generator (Release) into $work/gen"
dotnet build "$repo/bench/VirtAudit.LogGenerator.Tool/VirtAudit.LogGenerator.Tool.csproj" -c Release -o "$work/gen" --nologo -v quiet >"$work/build-gen.txt" 2>&1 \
  || { cat "$work/build-gen.txt" >&2; exit 1; }
log "building the benchmarks (Release)"
dotnet build "$repo/bench/VirtAudit.Benchmarks/VirtAudit.Benchmarks.csproj" -c Release --nologo -v quiet >"$work/build-bench.txt" 2>&1 \
  || { cat "$work/build-bench.txt" >&2; exit 1; }

# --- input ------------------------------------------------------------------------------------------------------
corpus="$work/mixed.log"
gen_cmd="dotnet run -c Release --project bench/VirtAudit.LogGenerator.Tool -- --lines $lines --seed 1 --virt-share 0.5"
log "generating: $gen_cmd"
"$work/gen/generate-audit-log" --lines "$lines" --seed 1 --virt-share 0.5 --stats >"$corpus" 2>"$work/corpus-stats.txt"
: >"$work/empty.log"
bytes=$(stat -c %s "$corpus")
cat "$corpus" >/dev/null   # warm the page cache: every tool reads it warm

# --- whole-file runs, alternating -------------------------------------------------------------------------------
# name|command (the log is $corpus). The first two are the headline pair; the rest put them in context.
tools=(
  "auparse_walk interpret|$work/peer/auparse_walk interpret $corpus"
  "virtaudit parse --all --format checksum|$cli parse $corpus --all --format checksum"
  "virtaudit check|$cli check $corpus"
  "virtaudit parse --all --format checksum, 1 worker|env VIRTAUDIT_WORKERS=1 $cli parse $corpus --all --format checksum"
  "virtaudit check, 1 worker|env VIRTAUDIT_WORKERS=1 $cli check $corpus"
  "read_floor|$work/peer/read_floor $corpus"
  "virtaudit check (empty file: start-up)|$cli check $work/empty.log"
)
results="$work/runs.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'tool\trun\twall_s\tcpu_s\tmax_rss_kb\texit\tinner_elapsed_s\n' >"$results"
for ((r = 1; r <= runs; r++)); do
  for entry in "${tools[@]}"; do
    name=${entry%%|*}
    cmd=${entry#*|}
    start=$EPOCHREALTIME
    set +e
    /usr/bin/time -v -o "$work/time.txt" $cmd >"$work/out.txt" 2>"$work/err.txt"
    status=$?
    set -e
    end=$EPOCHREALTIME
    wall=$(python3 -c "print(f'{$end - $start:.4f}')")
    rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/time.txt")
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {t += $2} END {printf "%.2f", t}' "$work/time.txt")
    inner=$(sed -n 's/.*elapsed_s=\([0-9.]*\).*/\1/p' "$work/out.txt" | head -1)
    printf '%s\t%d\t%s\t%s\t%s\t%d\t%s\n' "$name" "$r" "$wall" "$cpu" "$rss" "$status" "${inner:--}" >>"$results"
    if [ "$r" = 1 ]; then
      case "$name" in
        "virtaudit check") { tail -n 1 "$work/out.txt"; echo "exit $status"; } >"$work/check-summary.txt" ;;
        "virtaudit parse --all --format checksum") { tail -n 1 "$work/out.txt"; echo "exit $status"; } >"$work/parse-summary.txt" ;;
        "auparse_walk interpret") tail -n 1 "$work/out.txt" >"$work/auparse-summary.txt" ;;
      esac
    fi
    printf '   run %d  %-40s %8ss  %8s KiB  exit %d\n' "$r" "$name" "$wall" "$rss" "$status" >&2
  done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$load_before|$load_after" >"$work/load.txt"
# The field count against auparse's: without --all, parse folds the VIRT records alone, the ones auparse_walk visits.
"$cli" parse "$corpus" --format checksum >"$work/virt-fields.txt" 2>&1 || true

# --- emit side, alternating -------------------------------------------------------------------------------------
emit="$work/emit.tsv"
printf 'tool\tround\tns_per_record\n' >"$emit"
for ((r = 1; r <= encode_rounds; r++)); do
  ns=$("$work/peer/libvirt_encode" 2000000 | sed -n 's/.*ns_per_record=\([0-9.]*\).*/\1/p')
  printf 'libvirt_encode 2000000\t%d\t%s\n' "$r" "$ns" >>"$emit"
  printf '   round %d  libvirt_encode                %8s ns/record\n' "$r" "$ns" >&2
  # --inProcess: no rebuild of a boilerplate project per run (its 2-minute build timeout fails on a busy machine).
  (cd "$repo/bench/VirtAudit.Benchmarks" && dotnet run -c Release --no-build --project "$repo/bench/VirtAudit.Benchmarks/VirtAudit.Benchmarks.csproj" -- \
      --filter '*EncodeBenchmarks.Disk_10PercentHex*' --inProcess --exporters json --artifacts "$work/bdn-$r" >"$work/bdn-$r.txt" 2>&1) \
    || { tail -n 40 "$work/bdn-$r.txt" >&2; exit 1; }
  ns=$(python3 - "$work/bdn-$r/results" <<'EOF'
import glob, json, sys
path = glob.glob(sys.argv[1] + "/*EncodeBenchmarks-report-full-compressed.json")[0]
bench = [b for b in json.load(open(path))["Benchmarks"] if b["Method"] == "Disk_10PercentHex"][0]
if not bench.get("Statistics"):
    sys.exit("the BenchmarkDotNet run has no result: see " + sys.argv[1] + "/..")
print(f'{bench["Statistics"]["Median"]:.1f}')
EOF
)
  printf 'BenchmarkDotNet EncodeBenchmarks.Disk_10PercentHex (median)\t%d\t%s\n' "$r" "$ns" >>"$emit"
  printf '   round %d  BenchmarkDotNet Disk_10PercentHex %8s ns/record\n' "$r" "$ns" >&2
done

# --- report -----------------------------------------------------------------------------------------------------
python3 - "$results" "$emit" "$bytes" "$lines" "$runs" "$encode_rounds" "$work" "$gen_cmd" "$(nproc)" "$build" <<'EOF'
import csv, statistics, sys, platform, os
results, emit, size, lines, runs, rounds, work, gen_cmd, nproc, build = sys.argv[1:]
size = int(size)
rows = list(csv.DictReader(open(results), delimiter="\t"))
order = []
for r in rows:
    if r["tool"] not in order:
        order.append(r["tool"])
med = lambda xs: statistics.median(xs)
stats = {}
for t in order:
    rs = [r for r in rows if r["tool"] == t]
    inner = [float(r["inner_elapsed_s"]) for r in rs if r["inner_elapsed_s"] != "-"]
    stats[t] = dict(wall=med([float(r["wall_s"]) for r in rs]), cpu=med([float(r["cpu_s"]) for r in rs]), walls=[float(r["wall_s"]) for r in rs],
                    rss=med([int(r["max_rss_kb"]) for r in rs]), inner=med(inner) if inner else None,
                    exits=sorted({r["exit"] for r in rs}))
peer = stats["auparse_walk interpret"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
stat_lines = open(os.path.join(work, "corpus-stats.txt")).read().splitlines()
print()
print(f"machine: nproc {nproc}, {cpu}, {platform.system()} {platform.release()}; virtaudit build: {build}")
print(f"input:   {gen_cmd} = {size / 1e6:.1f} MB; {stat_lines[0] if stat_lines else ''}")
before, after = open(os.path.join(work, "load.txt")).read().strip().split("|")
print(f"runs:    {runs} of each tool, alternating, warm page cache; medians; load average {before} before, {after} after")
print()
print("| tool | median wall s | runs (s) | MB/s | median CPU s (user+sys) | median peak RSS MiB | tool ÷ auparse interpret (wall) |")
print("|---|---:|---|---:|---:|---:|---:|")
for t in order:
    s = stats[t]
    mbps = f'{size / s["wall"] / 1e6:,.0f}' if "empty" not in t else "–"
    runs_s = " ".join(f"{w:.2f}" for w in s["walls"])
    exits = "" if s["exits"] == ["0"] else f' (exit {",".join(s["exits"])})'
    print(f'| {t}{exits} | {s["wall"]:.3f} | {runs_s} | {mbps} | {s["cpu"]:.2f} | {s["rss"] / 1024:.1f} | {s["wall"] / peer["wall"]:.3f} |')
print()
parse = stats["virtaudit parse --all --format checksum"]
check = stats["virtaudit check"]
print(f'headline: virtaudit parse --all --format checksum takes {parse["wall"] / peer["wall"]:.3f}x the wall time of auparse_walk interpret '
      f'(target <= 0.1x), {parse["cpu"] / max(peer["cpu"], 0.01):.3f}x its CPU time; check {check["wall"] / peer["wall"]:.3f}x (target <= 0.2x); '
      f'peak RSS {parse["rss"] / 1024:.1f} MiB against {peer["rss"] / 1024:.1f} MiB')
read = lambda name: open(os.path.join(work, name)).read().strip().replace("\n", " ")
print("auparse_walk interpret printed: " + read("auparse-summary.txt"))
print("virtaudit parse --all --format checksum printed: " + read("parse-summary.txt"))
print("virtaudit parse --format checksum (VIRT records only) printed: " + read("virt-fields.txt"))
print("virtaudit check printed: " + read("check-summary.txt"))
erows = list(csv.DictReader(open(emit), delimiter="\t"))
etools = []
for r in erows:
    if r["tool"] not in etools:
        etools.append(r["tool"])
print()
print(f"emit side: one VIRT_RESOURCE disk record, 10 % hex names; {rounds} rounds, alternating")
print()
print("| tool | median ns/record | rounds (ns) |")
print("|---|---:|---|")
emed = {}
for t in etools:
    xs = [float(r["ns_per_record"]) for r in erows if r["tool"] == t]
    emed[t] = med(xs)
    print(f'| {t} | {emed[t]:.1f} | {" ".join(f"{x:.1f}" for x in xs)} |')
peer, bdn = etools
print()
print(f"ratio VirtAudit ÷ libvirt (emit, ns/record): {emed[bdn] / emed[peer]:.2f}")
EOF
[ "$keep" = 1 ] && log "kept $work"
exit 0
