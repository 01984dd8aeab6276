#!/usr/bin/env bash
# Adds every public symbol of src/VirtAudit that the build reports as undeclared (RS0016) to
# src/VirtAudit/PublicAPI.Unshipped.txt: the command-line stand-in for the IDE's RS0016 code fix.
# A removed or changed symbol (RS0017) still needs its old line deleted by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/VirtAudit/PublicAPI.Unshipped.txt
log=$(mktemp)
trap 'rm -f "$log" "$log.api"' EXIT
dotnet build src/VirtAudit -c Release --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= >"$log" 2>&1 || true
{
  tail -n +2 "$file"
  grep -oP "warning RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" || true
} | LC_ALL=C sort -u >"$log.api"
{ echo '#nullable enable'; cat "$log.api"; } >"$file"
echo "$(($(wc -l <"$file") - 1)) symbols in $file"
