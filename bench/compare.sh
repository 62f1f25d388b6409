#!/usr/bin/env bash
# Side-by-side: the PyTorch anchor (../shared/bench/torch_anchor.py) and GraphSampling's generated steps, interleaved
# for several rounds on this machine, then ratios of the best minimums and of the median medians (anchor / ours:
# above 1 means GraphSampling is faster). Not part of CI.
# Needs: apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0-pthread
# Usage: bash bench/compare.sh [rounds] [workload ...]
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
workloads=${*:-w2v-nce lm-softmax rec-softmax4}
anchor=../shared/bench/torch_anchor.py
out=$(mktemp)
dotnet build -c Release bench/GraphSampling.Benchmarks -nologo -v quiet >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "round $r: anchor" >&2
  /usr/bin/python3 "$anchor" $workloads | sed 's/^{/{"impl": "torch", /' >> "$out"
  echo "round $r: graphsampling" >&2
  dotnet bench/GraphSampling.Benchmarks/bin/Release/net10.0/GraphSampling.Benchmarks.dll steps $workloads >> "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
peaks = [r["gflops"] for r in rows if r.get("workload") == "sgemm-peak"]
print("sgemm peak (OpenBLAS, 2 threads): %s GFLOP/s" % ", ".join("%.0f" % p for p in peaks))
print("%-14s %10s %10s %10s %10s %9s %9s %8s" % ("workload", "torch min", "ours min", "torch med", "ours med", "x (min)", "x (med)", "gemm lim"))
for w in dict.fromkeys(r["workload"] for r in rows if r.get("impl") == "graphsampling"):
    t = [r for r in rows if r.get("workload") == w and r.get("impl") == "torch"]
    o = [r for r in rows if r.get("workload") == w and r.get("impl") == "graphsampling"]
    tmin, omin = min(r["step_ms_min"] for r in t), min(r["step_ms_min"] for r in o)
    tmed, omed = statistics.median(r["step_ms"] for r in t), statistics.median(r["step_ms"] for r in o)
    lim = min(r.get("gemm_limit_ms", 0) for r in t)
    print("%-14s %10.2f %10.2f %10.2f %10.2f %9.2f %9.2f %8.2f" % (w, tmin, omin, tmed, omed, tmin / omin, tmed / omed, lim))
PY
rm -f "$out"
