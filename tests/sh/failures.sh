# Failures are not measurements: a run whose requests all failed stores its success rate and no
# latency, keeps the scenario it can know, and fails the gate against a good run; one failed
# request does not make a scenario of its own (tests/data/ingest/all-failed/README.md).
. tests/sh/lib.sh
d=tests/data/ingest
G=examples/gpu-h100

out=$(obl-ingest --dump $d/all-failed/S1-in64-out128-c1-rep1.json 2>&1)
same_text "$(echo "$out" | grep '^trial')" "trial 1 scenario {concurrency=1;input_len=64} repetition 1" \
	"all failed: the output length is not known, so not part of the scenario"
same_text "$(echo "$out" | grep -c '^  .*\(ttft\|tpot\|itl\|e2el\|throughput\)')" "0" \
	"all failed: no latency or throughput stored"
same_text "$(echo "$out" | grep 'success_rate')" "  success_rate [] higher proportion 0/6" \
	"all failed: the success rate is 0 of 6"
same_text "$(echo "$out" | grep -c 'the output length is unknown (give -s output_len=N')" "1" \
	"all failed: the warning says how to pair it with its scenario"

out=$(obl-ingest --dump $d/one-failed-S1-in64-out128-c1-rep2.json 2>&1)
same_text "$(echo "$out" | grep '^trial')" \
	"trial 1 scenario {concurrency=1;input_len=64;output_len=128} repetition 1" \
	"one request failed: the scenario is the others' (output_len=128)"
same_text "$(echo "$out" | grep 'success_rate')" "  success_rate [] higher proportion 5/6" \
	"one request failed: the success rate is 5 of 6"
same_text "$(echo "$out" | grep '^  ttft_ms' | sed 's/: .*//')" "  ttft_ms [ms] lower sample n=5" \
	"one request failed: its TTFT of 0 ms is not a sample"

obl-ingest -q -r base "$work/b.db" $G/baseline/S1-in64-out128-c1-rep*.json
obl-ingest -q -r down -s output_len=128 "$work/c.db" $d/all-failed/*.json 2>/dev/null
out=$(obl-compare --format csv "$work/b.db" "$work/c.db")
status=$?
same_text "$status|$(echo "$out" | grep -c ',success_rate,.*,worse,')" "1|1" \
	"a good run against one where all failed: the success rate is worse and the gate fails"
same_text "$(echo "$out" | grep -c '^[^,]*,ttft_ms,.*,missing,')" "1" \
	"a good run against one where all failed: TTFT is missing, not -100%"
