#!/usr/bin/env bash
# Side-by-side comparison of `virtaudit check` with the peers of ../shared/bench on one generated audit.log:
# libauparse (`auparse_bench fields` and `interpret`), the read(2)+memchr floor, and on the emit side libvirt's own
# encode path (libvirt_encode_bench) against the BenchmarkDotNet encode benchmark. The tools are run alternately
# (A B C D A B C D ...) in one session, so that the noise of a shared machine hits them alike; the table gives
# medians and ratios of medians. See docs/performance.md.
#
#   bench/compare.sh [--lines N] [--runs R] [--encode-rounds K] [--workdir DIR] [--keep]
#
#   --lines N          lines of the generated log (default 1000000: ~318 MB)
#   --runs R           runs of each whole-file tool (default 5)
#   --encode-rounds K  rounds of the emit-side pair (default 3; a BenchmarkDotNet run takes ~40 s)
#   --workdir DIR      scratch folder (default: a new temporary one); the log is generated there, never in the repo
#   --keep             keep the scratch folder (the log, the raw timings) instead of deleting it
#
# Needs gcc, python3, the .NET SDK, and Debian's libauparse-dev libaudit-dev libglib2.0-dev and time (installed
# with apt-get when missing and running as root).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${VIRTAUDIT_SHARED:-$repo/../shared}
lines=1000000
runs=5
encode_rounds=3
work=
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --encode-rounds) encode_rounds=$2; shift 2 ;;
    --workdir) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

if [ ! -f "$shared/bench/gen_corpus.py" ]; then
  echo "compare.sh: $shared/bench not found (set VIRTAUDIT_SHARED to the shared folder)" >&2
  exit 2
fi

if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/virtaudit-compare.XXXXXX)
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
else
  mkdir -p "$work"
fi
case "$work" in *[[:space:]]*) echo "compare.sh: the scratch folder must not contain spaces: $work" >&2; exit 2 ;; esac

log() { printf '== %s\n' "$*" >&2; }

# --- system packages --------------------------------------------------------------------------------------------
missing=
for p in libauparse-dev libaudit-dev libglib2.0-dev time; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "compare.sh: missing packages:$missing (apt-get install -y$missing)" >&2
    exit 2
  fi
fi

# --- builds -----------------------------------------------------------------------------------------------------
log "building the peers into $work/peer"
sh "$shared/bench/build.sh" "$work/peer"
[ -x "$work/peer/libvirt_encode_bench" ] || { echo "compare.sh: libvirt_encode_bench was not built" >&2; exit 1; }

log "building virtaudit (Release) into $work/cli"
dotnet build "$repo/src/VirtAudit.Cli/VirtAudit.Cli.csproj" -c Release -o "$work/cli" --nologo -v quiet >"$work/build-cli.txt" 2>&1 \
  || { cat "$work/build-cli.txt" >&2; exit 1; }
log "building the benchmarks (Release)"
dotnet build "$repo/bench/VirtAudit.Benchmarks/VirtAudit.Benchmarks.csproj" -c Release --nologo -v quiet >"$work/build-bench.txt" 2>&1 \
  || { cat "$work/build-bench.txt" >&2; exit 1; }

# --- input ------------------------------------------------------------------------------------------------------
corpus="$work/mixed.log"
gen_cmd="python3 ../shared/bench/gen_corpus.py --lines $lines --seed 1 --virt-share 0.5"
log "generating: $gen_cmd"
python3 "$shared/bench/gen_corpus.py" --lines "$lines" --seed 1 --virt-share 0.5 --stats >"$corpus" 2>"$work/corpus-stats.txt"
: >"$work/empty.log"
bytes=$(stat -c %s "$corpus")
cat "$corpus" >/dev/null   # warm the page cache: every tool reads it warm

# --- whole-file runs, alternating -------------------------------------------------------------------------------
# name|command (the log is $corpus)
tools=(
  "auparse_bench fields|$work/peer/auparse_bench fields $corpus"
  "auparse_bench interpret|$work/peer/auparse_bench interpret $corpus"
  "virtaudit check|$work/cli/VirtAudit.Cli check $corpus"
  "baseline_read|$work/peer/baseline_read $corpus"
  "virtaudit check (empty file)|$work/cli/VirtAudit.Cli check $work/empty.log"
  "virtaudit check, TieredCompilation=0|env DOTNET_TieredCompilation=0 $work/cli/VirtAudit.Cli check $corpus"
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
    if [ "$name" = "virtaudit check" ] && [ "$r" = 1 ]; then
      tail -n 1 "$work/out.txt" >"$work/virtaudit-summary.txt"
      echo "$status" >"$work/virtaudit-exit.txt"
    fi
    printf '   run %d  %-40s %8ss  %8s KiB  exit %d\n' "$r" "$name" "$wall" "$rss" "$status" >&2
  done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$load_before|$load_after" >"$work/load.txt"

# --- emit side, alternating -------------------------------------------------------------------------------------
emit="$work/emit.tsv"
printf 'tool\tround\tns_per_record\n' >"$emit"
for ((r = 1; r <= encode_rounds; r++)); do
  ns=$("$work/peer/libvirt_encode_bench" 2000000 | sed -n 's/.*ns_per_record=\([0-9.]*\).*/\1/p')
  printf 'libvirt_encode_bench 2000000\t%d\t%s\n' "$r" "$ns" >>"$emit"
  printf '   round %d  libvirt_encode_bench          %8s ns/record\n' "$r" "$ns" >&2
  (cd "$repo/bench/VirtAudit.Benchmarks" && dotnet run -c Release --no-build --project "$repo/bench/VirtAudit.Benchmarks/VirtAudit.Benchmarks.csproj" -- \
      --filter '*EncodeBenchmarks.Disk_10PercentHex*' --exporters json --artifacts "$work/bdn-$r" >"$work/bdn-$r.txt" 2>&1) \
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
python3 - "$results" "$emit" "$bytes" "$lines" "$runs" "$encode_rounds" "$work" "$gen_cmd" "$(nproc)" <<'EOF'
import csv, statistics, sys, platform, os
results, emit, size, lines, runs, rounds, work, gen_cmd, nproc = sys.argv[1:]
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
ours = stats["virtaudit check"]["wall"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
stat_lines = open(os.path.join(work, "corpus-stats.txt")).read().splitlines()
print()
print(f"machine: nproc {nproc}, {cpu}, {platform.system()} {platform.release()}")
print(f"input:   {gen_cmd} = {size / 1e6:.1f} MB; {stat_lines[0] if stat_lines else ''}")
before, after = open(os.path.join(work, "load.txt")).read().strip().split("|")
print(f"runs:    {runs} of each tool, alternating, warm page cache; medians; load average {before} before, {after} after")
print()
print("| tool | median wall s | runs (s) | MB/s | median CPU s (user+sys) | median peak RSS MiB | tool's own elapsed_s | virtaudit check ÷ tool (wall) |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for t in order:
    s = stats[t]
    inner = f'{s["inner"]:.3f}' if s["inner"] is not None else "–"
    mbps = f'{size / s["wall"] / 1e6:,.0f}' if "empty" not in t else "–"
    ratio = f'{ours / s["wall"]:.2f}' if t != "virtaudit check" else "1.00"
    runs_s = " ".join(f"{w:.2f}" for w in s["walls"])
    print(f'| {t} | {s["wall"]:.3f} | {runs_s} | {mbps} | {s["cpu"]:.2f} | {s["rss"] / 1024:.1f} | {inner} | {ratio} |')
print()
print("virtaudit check printed: " + open(os.path.join(work, "virtaudit-summary.txt")).read().strip()
      + f' (exit {open(os.path.join(work, "virtaudit-exit.txt")).read().strip()})')
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
