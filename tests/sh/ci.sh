# examples/ci: gate.sh, the step both workflows rely on, run on the real H100 runs: the A/A
# rerun passes, float32 weights fail on time to first token; the summary carries the table
# and the report's Mermaid charts; the workflows are valid YAML naming files that exist.
. tests/sh/lib.sh
g=examples/gpu-h100
for run in baseline baseline-rerun cand-fp32; do
	obl-ingest -q -r $run "$work/$run.db" $g/$run/*.json
done
sh examples/ci/gate.sh "$work/baseline.db" "$work/baseline-rerun.db" "$work/aa.md" >"$work/aa.out"
same_text "$?|$(head -1 "$work/aa.md")|$(grep -c '^::error' "$work/aa.out")" "0|## Performance gate: pass|0" \
	"gate.sh, A/A rerun: exit 0, 'pass', no error annotation"
sh examples/ci/gate.sh "$work/baseline.db" "$work/cand-fp32.db" "$work/fp32.md" >"$work/fp32.out"
same_text "$?|$(head -1 "$work/fp32.md")" "1|## Performance gate: regression" \
	"gate.sh, float32 weights: exit 1, 'regression'"
case "$(grep '^::error' "$work/fp32.out")" in
*"ttft_ms"*"concurrency=1 input_len=128 output_len=512"*) ok "gate.sh: the error annotation names TTFT at input 128 / output 512" ;;
*) not_ok "gate.sh annotation: $(grep '^::error' "$work/fp32.out")" ;;
esac
same_text "$(grep -c '^| ' "$work/fp32.md" | awk '{ print ($1 > 10) }')|$(grep -c '^```mermaid$' "$work/fp32.md")" "1|3" \
	"the summary holds the verdict table and the report's charts as Mermaid blocks"
sh examples/ci/gate.sh "$work/missing.db" "$work/cand-fp32.db" "$work/none.md" >/dev/null 2>&1
same_text "$?|$(test -f "$work/none.md" && echo written)" "3|" "gate.sh without a baseline: exit 3, no summary"

if python3 -c 'import yaml' 2>/dev/null; then
	for f in examples/ci/perf-main.yml examples/ci/perf-pr.yml; do
		check "$f is valid YAML with jobs and steps" python3 -c "
import yaml, sys
d = yaml.safe_load(open('$f'))
steps = [s for j in d['jobs'].values() for s in j['steps']]
assert steps and all('run' in s or 'uses' in s for s in steps)"
	done
	same_text "$(grep -ho 'examples/ci/[a-z.-]*' examples/ci/*.yml | sort -u | while read -r f; do test -e "$f" || echo "$f"; done)" "" \
		"every examples/ci file the workflows name exists"
else
	skip "perf-main.yml is valid YAML" "python3-yaml not installed"
	skip "perf-pr.yml is valid YAML" "python3-yaml not installed"
	skip "the files the workflows name exist" "python3-yaml not installed"
fi
