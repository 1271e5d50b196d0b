#!/usr/bin/env bash
# The build-level figure (docs/performance.md): a generated application built as a real SDK web project, three ways,
# each with -p:ReportAnalyzer=true:
#   off      -p:RunAnalyzers=false: the compile without analyzers (parse, bind, emit; source generators still run);
#   sdk      the SDK's default analyzers (what every web project already runs);
#   perf     the SDK's analyzers plus PerfAnalyzers (the Release build of src/PerfAnalyzers as an <Analyzer> item).
# Prints the Csc task time of each build, the analyzer time Roslyn attributes to PerfAnalyzers, and the ratios
# (medians of REPEAT rounds).
# Usage: bash tests/PerfAnalyzers.Benchmarks/build-level.sh [SIZE=100k] [WORK_DIR]
# PERFANALYZERS_DLL=path measures that build of the analyzers instead (an A/B comparison with an older commit).
set -euo pipefail
size="${1:-100k}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${2:-${TMPDIR:-/tmp}/perfanalyzers-build-level}"
app="$work/$size"
ef_version="$(sed -n 's:.*<EfCoreVersion>\(.*\)</EfCoreVersion>.*:\1:p' "$repo/Directory.Packages.props")"
version_of() { sed -n "s:.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*:\1:p" "$repo/Directory.Packages.props"; }

if [ -n "${PERFANALYZERS_DLL:-}" ]; then
  analyzer="$(cd "$(dirname "$PERFANALYZERS_DLL")" && pwd)/$(basename "$PERFANALYZERS_DLL")"
else
  dotnet build -c Release "$repo/src/PerfAnalyzers/PerfAnalyzers.csproj" -v q -nologo >/dev/null
  analyzer="$(ls "$repo"/src/PerfAnalyzers/bin/Release/netstandard2.0/PerfAnalyzers.dll)"
fi

rm -rf "$app"
dotnet run -c Release --project "$repo/tests/PerfAnalyzers.Benchmarks" -- --dump "$work" --sizes "$size"
cat > "$app/Contoso.Shop.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>disable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <LangVersion>12</LangVersion>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);CS1998;CS0168;CS0219;CS8321;ASP0000</NoWarn>
    <!-- Every build starts its own compiler process: no warm compiler server carries state between the variants. -->
    <UseSharedCompilation>false</UseSharedCompilation>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="$ef_version" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Relational" Version="$ef_version" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="$ef_version" />
    <PackageReference Include="Dapper" Version="$(version_of Dapper)" />
    <PackageReference Include="Npgsql" Version="$(version_of Npgsql)" />
  </ItemGroup>
  <ItemGroup Condition="'\$(WithPerfAnalyzers)' == 'true'">
    <Analyzer Include="$analyzer" />
  </ItemGroup>
</Project>
EOF
dotnet restore "$app/Contoso.Shop.csproj" -v q -nologo >/dev/null

build() { # log name, extra msbuild properties...
  local name="$1"; shift
  dotnet build "$app/Contoso.Shop.csproj" --no-restore --no-incremental -nologo -v:d -clp:PerformanceSummary \
    -p:ReportAnalyzer=true "$@" > "$work/build-$size-$name.log" 2>&1 || { tail -30 "$work/build-$size-$name.log"; exit 1; }
}
csc_ms() { sed -n 's/^ *\([0-9]*\) ms  Csc .*/\1/p' "$work/build-$size-$1.log" | tail -1; }
perf_s() { grep -E '^ *[0-9.<]+ +[0-9<]+ +PerfAnalyzers, Version' "$work/build-$size-$1.log" | awk '{print $1}' | tail -1; }
total_analyzers_s() { sed -n 's/.*Total analyzer execution time: \([0-9.]*\) seconds.*/\1/p' "$work/build-$size-$1.log" | head -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One throw-away build first (disk caches, SDK tasks), then the three variants interleaved, REPEAT times (default 3):
# single builds on a shared machine differ by up to 20%, so medians are reported.
repeat="${REPEAT:-3}"
build warmup -p:RunAnalyzers=false
for i in $(seq 1 "$repeat"); do
  build "off-$i" -p:RunAnalyzers=false
  build "sdk-$i"
  build "perf-$i" -p:WithPerfAnalyzers=true
  if [ "$(grep -c 'warning PERF' "$work/build-$size-perf-$i.log")" = 0 ]; then echo "PerfAnalyzers reported nothing in build perf-$i: was it loaded?"; grep -m1 CS8034 "$work/build-$size-perf-$i.log"; exit 1; fi
  echo "round $i: Csc off $(csc_ms "off-$i") ms, SDK $(csc_ms "sdk-$i") ms (analyzers $(total_analyzers_s "sdk-$i") s), SDK + PerfAnalyzers $(csc_ms "perf-$i") ms (analyzers $(total_analyzers_s "perf-$i") s, PerfAnalyzers $(perf_s "perf-$i") s)"
done

off="$(for i in $(seq 1 "$repeat"); do csc_ms "off-$i"; done | median)"
sdk="$(for i in $(seq 1 "$repeat"); do csc_ms "sdk-$i"; done | median)"
perf="$(for i in $(seq 1 "$repeat"); do csc_ms "perf-$i"; done | median)"
mine="$(for i in $(seq 1 "$repeat"); do perf_s "perf-$i"; done | median)"
echo "size $size: $(find "$app" -name '*.cs' -not -path '*/obj/*' | xargs cat | wc -l) lines; logs in $work; medians of $repeat builds each"
echo "Csc task (wall ms): analyzers off $off; SDK analyzers $sdk; SDK + PerfAnalyzers $perf"
awk -v off="$off" -v sdk="$sdk" -v perf="$perf" -v mine="$mine" 'BEGIN {
  printf "PerfAnalyzers analyzer time (ReportAnalyzer): %.3f s = %.1f%% of the compile without analyzers\n", mine, 100 * mine * 1000 / off;
  printf "Csc with PerfAnalyzers over Csc with the SDK analyzers only: %+.1f%% (wall)\n", 100 * (perf - sdk) / sdk;
}'
