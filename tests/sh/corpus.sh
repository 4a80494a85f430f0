# The experiment around the values of real runs (../shared/corpus, read in place): loads are
# scenarios, runs that disagree in configuration are refused, failures are not measurements.
# Skipped when the corpus is absent. What each file yields is asserted in tests/readers/.
. tests/sh/lib.sh
if [ -z "$corpus" ]; then
	skip "corpus: vllm-ascend, identity, failures" "the corpus (../shared/corpus) is absent"
	exit 0
fi
v=$corpus/vllm-serve
a=$v/ascend_qwen2.5-vl-72b_noquant-vs-w8a8
nq=$work/noquant.db w8=$work/w8a8.db

obl-ingest -q "$nq" "$a"/noquant/*.json && obl-ingest -q "$w8" "$a"/w8a8/*.json
same_text "$(sqlite3 "$nq" "select group_concat(value, ' ') from (select value from scenario_key where key = 'num_prompts' order by cast(value as int))")" \
	"1 2 4 8 10 16 32" "vllm-ascend: the seven loads (num_prompts, all sent at once) are seven scenarios"
same_text "$(sqlite3 "$nq" "select max(repetition) from trial")" "1" \
	"vllm-ascend: each load has one repetition, not seven of one scenario"
obl-compare --format csv "$nq" "$w8" >"$work/cmp.csv"
same_text "$(tail -n +2 "$work/cmp.csv" | cut -d, -f1,2 | sort | uniq -d | wc -l)" "0" \
	"obl-compare of the vllm-ascend pair: no scenario and metric twice"
same_text "$(tail -n +2 "$work/cmp.csv" | cut -d, -f1 | sort -u | wc -l)" "7" \
	"obl-compare of the vllm-ascend pair: rows for each of the 7 loads"
same_text "$(grep -c '^num_prompts=32 request_rate=inf,mean_ttft_ms,' "$work/cmp.csv")" "1" \
	"obl-compare of the vllm-ascend pair: one mean_ttft_ms row at num_prompts=32"
same_text "$(sqlite3 "$w8" "select value from run_tag where key = 'quant-type'")" "w8a8" \
	"vllm-ascend: --metadata quant-type is a run tag"
same_text "$(sqlite3 "$nq" "select printf('%.4f', value) from samples where metric = 'accuracy_rate_pct' and scenario = 'num_prompts=8;request_rate=inf'")" \
	"87.5000" "vllm-ascend: accuracy_rate is kept (87.5 at num_prompts 8: percent, higher is better)"
same_text "$(sqlite3 "$nq" "select count(distinct value) from source_tag where key = 'date'")" "7" \
	"vllm-ascend: each file's date is kept with the file, not overwritten as a run tag"

# Two configurations under one label: refused, naming both files and the field.
one=$work/one.db
err=$(obl-ingest -q "$one" "$a"/noquant/*.json "$a"/w8a8/*.json 2>&1)
status=$?
same_text "$status" "3" "two configurations in one run: exit 3"
case "$err" in
*"w8a8/openai-chat-infqps-Qwen2.5-VL-72B-Instruct-20250929-092952.json: 'quant-type': run configuration differs: 'w8a8' here, 'no' in $a/noquant/openai-chat-infqps-Qwen2.5-VL-72B-Instruct-20250930-062746.json already stored in run 'one'"*)
	ok "two configurations in one run: the message names both files and the field" ;;
*) not_ok "two configurations in one run: message '$err'" ;;
esac
same_text "$(sqlite3 "$one" "select count(*) from source")" "7" \
	"two configurations in one run: nothing of the refused file is stored"
check "the same files as two runs (-r) are accepted" \
	obl-ingest -q -r w8a8 "$one" "$a"/w8a8/*.json

# A run whose every request failed has no latency, and its success rate is 0 of 8.
f=$v/vllm-0.25.1_opt-125m_fixtures
failed=$work/failed.db good=$work/good.db
obl-ingest -q "$failed" "$f/bench_serve_all_requests_failed_v0.25.1.json" 2>/dev/null
obl-ingest -q "$good" "$f/bench_serve_v0.25.1.json"
same_text "$(sqlite3 "$failed" "select count(*) from samples where metric like '%ttft%' or metric like '%throughput%'")" \
	"0" "all requests failed: no latency or throughput stored (vLLM wrote 0.0)"
same_text "$(sqlite3 "$failed" "select successes || '/' || trials from tallies where metric = 'success_rate'")" \
	"0.0/8.0" "all requests failed: success_rate 0 of 8"

# A `vllm bench sweep serve` directory in one command: one scenario per serve x bench folder,
# its run=N.json the repetitions (summary.json, which repeats them, not read).
sw=$work/sweep.db
out=$(obl-ingest "$sw" "$f/sweep")
same_text "$(echo "$out" | wc -l)" "4" "bench sweep directory: its four run=N.json files ingested in one command"
same_text "$(sqlite3 "$sw" "select scenario || ' x' || count(distinct repetition) from samples where metric = 'mean_ttft_ms' group by scenario")" \
	"concurrency=2;max_num_seqs=4;num_prompts=8 x2
concurrency=2;max_num_seqs=8;num_prompts=8 x2" \
	"bench sweep directory: max_num_seqs=4 and =8 are two scenarios of two repetitions, never pooled"
same_text "$(sqlite3 "$sw" "select printf('%.6f', value) from samples where metric = 'mean_ttft_ms' and scenario like '%max_num_seqs=8%' and repetition = 2")" \
	"36.804642" "bench sweep directory: run=1.json of max_num_seqs=8 is its repetition 2 (mean TTFT 36.804642 ms)"
