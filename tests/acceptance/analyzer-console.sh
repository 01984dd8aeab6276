#!/usr/bin/env bash
# Acceptance of issue 4 in the real compiler: a console project that references the runtime and the generator
# assembly (where the analyzer lives) as an analyzer must
#   1. fail to build with VA2001 for a KVM start VirtControl that sets InitPid, and
#   2. build once the record is an LXC init record without a reason and with a PidNs.
#
# Usage: tests/acceptance/analyzer-console.sh
#   VIRTAUDIT_PREBUILT=1           the repository is built already: reference its outputs, do not rebuild them
#   VIRTAUDIT_CONFIGURATION=NAME   the configuration to build (and, prebuilt, to reference): Debug (default) or Release
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/Acceptance.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <LangVersion>12</LangVersion>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/VirtAudit/VirtAudit.csproj" />
    <ProjectReference Include="$repo/generators/VirtAudit.Generators/VirtAudit.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
EOF

write_program() {
    cat > "$work/Program.cs" <<EOF
using System;
using VirtAudit;

var record = new VirtControl
{
$1
    Vm = "rhel9",
    Uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
    VmPid = 4242,
    InitPid = 5,
};
Console.WriteLine(record.Vm.Value);
EOF
}

build() {
    # VIRTAUDIT_PREBUILT=1: the repository is already built (as in the test run): do not rebuild (or restore) it.
    extra=(-c "${VIRTAUDIT_CONFIGURATION:-Debug}")
    if [[ "${VIRTAUDIT_PREBUILT:-}" == "1" ]]; then extra+=(-p:BuildProjectReferences=false); fi
    dotnet build "$work/Acceptance.csproj" -nologo -v quiet -p:TreatWarningsAsErrors=true "${extra[@]}" > "$work/build.log" 2>&1
}

write_program "    Virt = VirtType.Kvm,
    Op = VirtOp.Start,
    Reason = VirtControlReason.Booted,"
if build; then
    echo "FAIL: the KVM start record with InitPid built"
    exit 1
fi
if ! grep -q "error VA2001" "$work/build.log"; then
    echo "FAIL: the KVM start record with InitPid did not fail with VA2001:"
    cat "$work/build.log"
    exit 1
fi
grep -m1 "error VA2001" "$work/build.log" | sed 's/^.*error/error/; s/ \[.*$//'

write_program "    Virt = VirtType.Lxc,
    Op = VirtOp.Init,
    PidNs = 4026532451,"
if ! build; then
    echo "FAIL: the LXC init record did not build:"
    cat "$work/build.log"
    exit 1
fi

echo "2 passed, 0 failed"
