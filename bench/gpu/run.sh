#!/usr/bin/env bash
# The GPU check of issue 10 in two halves (docs/gpu.md):
#   bash bench/gpu/run.sh prepare   (here, with the .NET SDK) publishes the GPU test suite and bench/GraphSampling.GpuBench
#                                   self-contained for linux-x64 (untrimmed, not AOT: ILGPU compiles kernels at run time)
#                                   into one folder and packs it as bench/gpu/bundle/gpu-bundle.tar.xz (~37 MB; the
#                                   device tool carries at most 64 MiB);
#   bash bench/gpu/run.sh device    (on the GPU machine, no .NET there) unpacks it, runs the suite (the CUDA rows run
#                                   there, skip elsewhere) and the benchmarks, and writes $OUT/gpu-tests.txt and
#                                   $OUT/gpu-bench.md. Exit status: non-zero when a test fails or the sampler differs.
# Checked end to end here with `OUT=/tmp/out bash bench/gpu/run.sh device --quick` (the CPU accelerator, tiny shapes).
# On the device: run(command: "bash bench/gpu/run.sh device", carry: ["bench/gpu/bundle"], timeout_s: 500).
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=bench/gpu/bundle
case "${1:-}" in
  prepare)
    rm -rf "$bundle" && mkdir -p "$bundle/publish"
    for project in bench/GraphSampling.GpuBench tests/GraphSampling.Gpu.Tests; do
      dotnet publish "$project" -c Release -r linux-x64 --self-contained -o "$bundle/publish" -nologo -v q
    done
    tar -cJf "$bundle/gpu-bundle.tar.xz" -C "$bundle" publish
    rm -rf "$bundle/publish"
    ls -l "$bundle/gpu-bundle.tar.xz"
    ;;
  device)
    out="${OUT:-$bundle/out}"
    mkdir -p "$out"
    work=$(mktemp -d)
    tar -xJf "$bundle/gpu-bundle.tar.xz" -C "$work"
    (nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || true) | tee "$out/gpu-tests.txt"
    status=0
    "$work/publish/GraphSampling.Gpu.Tests" -noAutoReporters -reporter verbose 2>&1 | tee -a "$out/gpu-tests.txt" || status=1
    quick=""
    [ "${2:-}" = "--quick" ] && quick="--quick"
    "$work/publish/GraphSampling.GpuBench" $quick --out "$out/gpu-bench.md" || status=1
    rm -rf "$work"
    exit $status
    ;;
  *)
    echo "usage: bash bench/gpu/run.sh prepare | device [--quick]" >&2
    exit 2
    ;;
esac
