#!/bin/sh
# The demo: describe and compare real time-to-first-token measurements from an H100
# (examples/plain, extracted from the vLLM-format runs in examples/gpu-h100).
set -u
build=${1:-build}
bin="$(cd "$(dirname "$0")/.." && pwd)/$build/bin"
cd "$(dirname "$0")/plain" || exit 2
run() {
	printf '\n$ %s\n' "$*"
	"$bin/$@"
	status=$?
	printf '(exit status %d)\n' "$status"
}
echo "obl demo: TTFT (ms) per request, scenario S3 (in 64, out 128, concurrency 8)"
run obl-stats ttft-baseline.txt ttft-rerun.txt ttft-fp32.txt
echo
echo "# A/A: the baseline run again. No regression may be reported."
run obl-compare ttft-baseline.txt ttft-rerun.txt
echo
echo "# float32 weights instead of bfloat16: slower first tokens, exit status 1."
run obl-compare ttft-baseline.txt ttft-fp32.txt
exit 0
