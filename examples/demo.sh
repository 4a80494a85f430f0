#!/bin/sh
# make demo: the bundled H100 runs (examples/gpu-h100, vLLM result format) go through
# ingest -> stats -> compare. Databases are written to demo/.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$build/bin"
cd "$top" || exit 2
rm -rf demo
mkdir -p demo
run() {
	printf '\n$ %s\n' "$*"
	"$bin/$@"
	printf '(exit status %d)\n' "$?"
}
echo "obl demo: a small Llama-architecture model served on an H100, 5 scenarios x 5 repetitions"
echo "runs: baseline (bf16), baseline-rerun (the same again: an A/A pair), cand-fp32 (float32),"
echo "      cand-eager (eager attention, measured on another machine start)"
for r in baseline baseline-rerun cand-fp32 cand-eager; do
	"$bin/obl-ingest" -q -r $r -t gpu="NVIDIA H100 80GB HBM3" demo/$r.db \
		examples/gpu-h100/$r/*.json examples/gpu-h100/$r/nvidia-smi.csv || exit 3
done
echo
echo "ingested into demo/baseline.db, demo/baseline-rerun.db, demo/cand-fp32.db, demo/cand-eager.db"
run obl-stats --metric ttft_ms demo/baseline.db
run obl-stats --metric output_throughput_tok_s demo/cand-fp32.db
echo
echo "# A/A: the baseline rerun. No regression may be reported (exit 0)."
run obl-compare demo/baseline.db demo/baseline-rerun.db
echo
echo "# float32 instead of bfloat16: slower first token where prefill is longest (exit 1)."
run obl-compare demo/baseline.db demo/cand-fp32.db
echo
echo "# The same as a Markdown table for a pull request: demo/fp32.md"
"$bin/obl-compare" --format md demo/baseline.db demo/cand-fp32.db > demo/fp32.md
echo
echo "# The report for a review, both candidates against the baseline:"
title="H100: bf16 baseline vs float32 and eager attention"
run obl-report --title "$title" -o demo/report.pdf demo/baseline.db demo/cand-fp32.db \
	demo/cand-eager.db
run obl-report --title "$title" -o demo/report.md demo/baseline.db demo/cand-fp32.db \
	demo/cand-eager.db
echo
echo "written: demo/report.pdf, demo/report.md (charts: demo/report-*.svg)"
exit 0
