#!/bin/sh
# The benchmark, the same for main and for a pull request: writes result files into $1.
# Here: vLLM's serving benchmark at three concurrencies, 5 repetitions each (the repetition is
# obl's unit of analysis: 3 or more per side). Replace the loop with your benchmark; obl-ingest
# reads vLLM, SGLang, GenAI-Perf, AIPerf, LLMPerf, MLPerf, go test -bench, Google Benchmark,
# hyperfine, pytest-benchmark, Criterion, CSV and plain numbers (obl-ingest --list-formats).
set -eu
out=${1:?usage: benchmark.sh RESULT-DIR}
mkdir -p "$out"
for rep in 1 2 3 4 5; do
	for c in 1 8 32; do
		vllm bench serve --model "${MODEL:?set MODEL}" --dataset-name random \
			--random-input-len 512 --random-output-len 128 \
			--max-concurrency "$c" --num-prompts $((c * 16)) --seed "$rep" \
			--save-result --result-dir "$out" --result-filename "c$c-rep$rep.json"
	done
done
