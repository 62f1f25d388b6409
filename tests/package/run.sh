#!/usr/bin/env bash
# The package test: packs GraphSampling and uses it as a user outside this repository would. A fresh console project
# in a temporary folder (so none of this repository's MSBuild files apply) adds the package from a local folder feed,
# declares a graph (the generator and analyzers must come from the package), and trains one step. It checks the
# package's layout first. Exits non-zero on any failure; prints "package test passed" on success.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"

dotnet pack "$root/src/Package" -c Release -o "$feed" -nologo -v q
pkg=$(ls "$feed"/GraphSampling.*.nupkg)
version=$(basename "$pkg" .nupkg | sed 's/^GraphSampling\.//')
echo "packed $(basename "$pkg")"

unzip -l "$pkg" > "$work/contents.txt"
for entry in lib/net10.0/GraphSampling.Graph.dll lib/net10.0/GraphSampling.Graph.xml lib/net10.0/GraphSampling.Runtime.dll \
             lib/net10.0/GraphSampling.Runtime.xml analyzers/dotnet/cs/GraphSampling.Generators.dll analyzers/dotnet/cs/GraphSampling.CodeFixes.dll README.md LICENSE GraphSampling.nuspec \
             build/GraphSampling.props buildTransitive/GraphSampling.props docs/diagnostics/GS1001.md docs/diagnostics/GS2001.md; do
  if ! grep -q " $entry\$" "$work/contents.txt"; then
    echo "the package lacks $entry" >&2
    cat "$work/contents.txt" >&2
    exit 1
  fi
done
unzip -p "$pkg" GraphSampling.nuspec > "$work/nuspec.xml"
for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<description>' '<tags>' '<repository type="git"' 'id="System.Numerics.Tensors"'; do
  grep -q "$field" "$work/nuspec.xml" || { echo "the nuspec lacks $field" >&2; cat "$work/nuspec.xml" >&2; exit 1; }
done

app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <!-- GraphSampling only from the folder just packed (never a published one); its dependencies from the usual feed. -->
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="GraphSampling" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > "$app/App.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
XML
cat > "$app/Program.cs" <<'CS'
using System;
using GraphSampling;
using GraphSampling.Runtime.Optimizers;

var program = new Head.CpuProgram();
program.Weights.InitializeUniform(0.1f, seed: 1);
var rng = new Random(7);
var x = new float[Head.Batch * Head.Dim];
for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
var labels = new long[Head.Batch];
for (int i = 0; i < labels.Length; i++) labels[i] = rng.Next(Head.Classes);
var before = new float[Head.Batch];
var after = new float[Head.Batch];

program.ForwardBackward(Head.Batch, x, labels, before);          // one training step
Sgd.Apply(program.Weights, program.WeightsGradient, 0.5f);
Sgd.Apply(program.Biases, program.BiasesGradient, 0.5f);
program.Step = 0;                                                 // the same sampled classes again
program.Forward(Head.Batch, x, labels, after);

double sumBefore = 0, sumAfter = 0;
for (int i = 0; i < Head.Batch; i++) { sumBefore += before[i]; sumAfter += after[i]; }
Console.WriteLine($"sampled loss {sumBefore / Head.Batch:F4} -> {sumAfter / Head.Batch:F4} after one step ({program.WeightsGradient.Count} rows touched)");
if (!(sumAfter < sumBefore) || double.IsNaN(sumAfter)) { Console.Error.WriteLine("the step did not lower the loss"); return 1; }
return 0;

[ComputationGraph]
public static partial class Head
{
    public const int Batch = 8, Dim = 16, Classes = 1000;

    static Tensor<float> Define(GraphBuilder g)
    {
        var x = g.Input<float>("x", Batch, Dim);
        var labels = g.Labels("labels", Batch);
        var weights = g.Parameter("weights", Classes, Dim);
        var biases = g.Parameter("biases", Classes);
        return g.SampledSoftmaxLoss(weights, biases, labels, x, numSampled: 20, numClasses: Classes, seed: 1);
    }
}
CS

# A package cache of its own, so the package just packed is the one restored (not one cached by an earlier run).
export NUGET_PACKAGES="$work/packages"
dotnet add "$app/App.csproj" package GraphSampling --version "$version"
dotnet run --project "$app/App.csproj" -c Release -nologo

# The analyzers ship too: a graph with a shape error fails the build with GS2001 at the argument.
cat > "$app/Bad.cs" <<'CS'
using GraphSampling;

[ComputationGraph]
public static partial class Bad
{
    static Tensor<float> Define(GraphBuilder g)
    {
        var h = g.Input<float>("h", 4, 128);
        var w = g.Parameter("w", 256, 10);
        return g.ReduceSum(g.MatMul(h, w), axis: 1);
    }
}
CS
if dotnet build "$app/App.csproj" -c Release -nologo -p:ErrorLog="$work/bad.sarif%2Cversion=2.1" > "$work/bad.log" 2>&1; then
  echo "a graph with a shape error built without an error" >&2
  exit 1
fi
grep -q "Bad.cs(10,.*error GS2001" "$work/bad.log" || { echo "the build did not report GS2001 at the MatMul:" >&2; cat "$work/bad.log" >&2; exit 1; }
echo "the package's analyzers report GS2001 at Bad.cs line 10"
# Its help link is the page the package ships (the error log carries each rule's help URI).
help=$(grep -o '"helpUri": *"file://[^"]*GS2001.md"' "$work/bad.sarif" | head -n 1 | sed 's/.*"file:\/\///; s/"$//')
if [ -z "$help" ] || [ ! -f "/${help#/}" ]; then
  echo "GS2001's help link does not resolve to a page: '${help}'" >&2
  grep -o '"helpUri"[^,]*' "$work/bad.sarif" >&2 || true
  exit 1
fi
head -n 1 "/${help#/}" | grep -q '^# GS2001:' || { echo "GS2001's help link opens another page" >&2; exit 1; }
echo "GS2001's help link opens its page in the package: /${help#/}"
echo "package test passed"
