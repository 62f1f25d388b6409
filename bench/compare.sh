#!/usr/bin/env bash
# Side-by-side: the PyTorch anchor (../shared/bench/torch_anchor.py), the TorchSharp anchor (../shared/bench/torchsharp,
# when it builds here) and GraphSampling's generated steps, interleaved for several rounds on this machine, then ratios
# of the best minimums and of the median medians against the faster anchor (anchor / ours: above 1 means GraphSampling
# is faster). Each composite loss is also timed against the primitive graph it replaces (its "-primitives" twin) in
# the same rounds. Not part of CI.
# Needs: apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0-pthread
# Usage: bash bench/compare.sh [rounds] [workload ...]
#   workloads: w2v-nce lm-softmax rec-softmax4 tapas lm-full-softmax (default: all five)
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
workloads=${*:-w2v-nce lm-softmax rec-softmax4 tapas lm-full-softmax}
anchor=../shared/bench/torch_anchor.py
out=$(mktemp)
dotnet build -c Release bench/GraphSampling.Benchmarks -nologo -v quiet >/dev/null
torchsharp=../shared/bench/torchsharp
if [ -d "$torchsharp" ] && dotnet build -c Release "$torchsharp" -nologo -v quiet >/dev/null 2>&1; then
  have_torchsharp=1
else
  have_torchsharp=0
  echo "the TorchSharp anchor did not build here; comparing with the PyTorch anchor only" >&2
fi
# The anchor calls the full softmax "full"; ours also times the primitive twins of the first three.
anchor_args=$(echo "$workloads" | sed 's/lm-full-softmax/full/')
ours=""
for w in $workloads; do
  ours="$ours $w"
  case $w in w2v-nce|lm-softmax|rec-softmax4) ours="$ours $w-primitives" ;; esac
done
for r in $(seq 1 "$rounds"); do
  echo "round $r: anchor" >&2
  /usr/bin/python3 "$anchor" $anchor_args | sed 's/^{/{"impl": "torch", /' >> "$out"
  if [ "$have_torchsharp" -eq 1 ]; then
    echo "round $r: torchsharp" >&2
    dotnet run -c Release --no-build --project "$torchsharp" -- $anchor_args | grep '^{' >> "$out" || true
  fi
  echo "round $r: graphsampling" >&2
  dotnet bench/GraphSampling.Benchmarks/bin/Release/net10.0/GraphSampling.Benchmarks.dll steps $ours >> "$out"
done
# Start-up: each workload's first steps in a fresh process of its own (a warm process would hide the tiering cost).
for w in $workloads; do
  [ "$w" = lm-full-softmax ] && continue
  echo "start-up: $w" >&2
  dotnet bench/GraphSampling.Benchmarks/bin/Release/net10.0/GraphSampling.Benchmarks.dll steps-cold "$w" >> "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def minimum(r): return r.get("step_ms_min", r["step_ms"])   # the anchor's full softmax reports only its minimum
for impl, blas in (("torch", "PyTorch, OpenBLAS"), ("torchsharp", "TorchSharp, MKL")):
    peaks = [r["gflops"] for r in rows if r.get("workload") == "sgemm-peak" and r.get("impl") == impl]
    if peaks: print("sgemm peak (%s, 2 threads): %s GFLOP/s" % (blas, ", ".join("%.0f" % p for p in peaks)))
print("%-16s %10s %10s %10s %10s %10s %9s %9s %8s %9s" % ("workload", "torch min", "tsharp min", "ours min", "anch med", "ours med", "x (min)", "x (med)", "gemm lim", "step/gemm"))
ours = [r for r in rows if r.get("impl") == "graphsampling" and "step_ms" in r]
cold = [r for r in rows if r.get("impl") == "graphsampling" and "next100_mean_ms" in r]
for w in dict.fromkeys(r["workload"] for r in ours if not r["workload"].endswith("-primitives")):
    anchors = {impl: [r for r in rows if r.get("workload") == w and r.get("impl") == impl] for impl in ("torch", "torchsharp")}
    anchors = {k: v for k, v in anchors.items() if v}
    if not anchors: continue
    o = [r for r in ours if r["workload"] == w]
    mins = {k: min(minimum(r) for r in v) for k, v in anchors.items()}
    meds = {k: statistics.median(r["step_ms"] for r in v) for k, v in anchors.items()}
    best = min(mins, key=mins.get)                       # the faster anchor, by its best minimum
    omin, omed = min(minimum(r) for r in o), statistics.median(r["step_ms"] for r in o)
    lim = min((r["gemm_limit_ms"] for r in anchors.get("torch", []) if "gemm_limit_ms" in r), default=float("nan"))
    fmt = lambda v: "%10.2f" % v if v is not None else "%10s" % "-"
    # Our step against its own three GEMMs timed in the same process (the best round of each).
    gemm = min((r["gemm_ms"] for r in o if "gemm_ms" in r), default=float("nan"))
    print("%-16s %s %s %10.2f %10.2f %10.2f %9.2f %9.2f %8.2f %9.2f" % (w, fmt(mins.get("torch")), fmt(mins.get("torchsharp")), omin, meds[best], omed,
          mins[best] / omin, meds[best] / omed, lim, omin / gemm))
if cold:
    print()
    print("%-16s %12s %14s %14s %12s %10s" % ("start-up", "first step", "next 100 mean", "next 100 worst", "steady", "mean/steady"))
    for r in cold:
        print("%-16s %12.2f %14.3f %14.3f %12.3f %10.2f" % (r["workload"], r["first_step_ms"], r["next100_mean_ms"], r["next100_worst_ms"], r["steady_ms"], r["next100_over_steady"]))
twins = [w for w in dict.fromkeys(r["workload"] for r in ours) if w.endswith("-primitives")]
if twins:
    print()
    print("%-16s %14s %14s %14s" % ("composite", "primitives min", "composite min", "prim / comp"))
    for p in twins:
        w = p[: -len("-primitives")]
        pm = min(minimum(r) for r in ours if r["workload"] == p)
        cm = min(minimum(r) for r in ours if r["workload"] == w)
        print("%-16s %14.2f %14.2f %14.2f" % (w, pm, cm, pm / cm))
PY
rm -f "$out"
