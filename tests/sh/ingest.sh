# obl-ingest: values land exactly, duplicates are no-ops, bad input changes nothing.
. tests/sh/lib.sh
d=tests/data/ingest
g=examples/gpu-h100/baseline
db="$work/t.db"

out=$(obl-ingest "$db" $g/S1-in64-out128-c1-rep1.json)
same_text "$out" "$g/S1-in64-out128-c1-rep1.json: vllm, run t: 1 trial, 9 series, 784 values" \
	"a vLLM result ingests: 1 trial, 9 series, 784 values, run named after the database"
same_text "$(sqlite3 "$db" "select count(*), printf('%.12g', min(value)) from samples where metric='ttft_ms'")" \
	"6|6.85257600003" "6 TTFT samples, stored in ms (the smallest 0.006852576000028421 s)"
same_text "$(sqlite3 "$db" "select printf('%.15g', value) from samples where metric='ttft_ms' and seq=1")" \
	"7.78747599997587" "the first request's TTFT is 0.007787475999975868 s x 1000, in order"
same_text "$(sqlite3 "$db" "select count(*) from samples where metric='itl_ms'")" "762" \
	"762 inter-token latencies (6 requests x 127)"
same_text "$(sqlite3 "$db" "select printf('%.10g', avg(value)) from samples where metric='ttft_ms'")" \
	"8.7430935" "the mean TTFT recomputed equals the file's mean_ttft_ms (8.743093499996727)"
same_text "$(sqlite3 "$db" "select successes || '/' || trials from tallies where metric='success_rate'")" \
	"6.0/6.0" "success_rate: 6 of 6"
same_text "$(sqlite3 "$db" "select canonical from scenario")" "concurrency=1;input_len=64;output_len=128" \
	"the scenario comes from the file (lengths, max_concurrency)"
same_text "$(sqlite3 "$db" "select value from run_tag where key='model'")" "random-llama-0.8b" \
	"model_id becomes the tag model"

before=$(db_hash "$db")
out=$(obl-ingest "$db" $g/S1-in64-out128-c1-rep1.json)
same_text "$out" "$g/S1-in64-out128-c1-rep1.json: already in run $(sqlite3 "$db" "select label from run") (same content as $g/S1-in64-out128-c1-rep1.json); nothing changed" \
	"the same content again is a no-op and says so, naming the run that holds it"
out=$(obl-ingest -q -r other "$db" $g/S1-in64-out128-c1-rep1.json 2>&1)
same_text "$out" "obl-ingest: warning: $g/S1-in64-out128-c1-rep1.json: not added to run other: the same content is already in run $(sqlite3 "$db" "select label from run") (as $g/S1-in64-out128-c1-rep1.json)" \
	"the same content for another run: a warning naming the run that holds it, even with -q"
same_text "$(db_hash "$db")" "$before" "the database is unchanged after a duplicate"

bad() { # file expected-stderr-fragment description
	before=$(db_hash "$db")
	err=$(obl-ingest "$db" "$1" 2>&1 >/dev/null)
	status=$?
	case "$err" in
	*"$2"*) [ $status -eq 3 ] && ok "$3: exit 3, '$2'" || not_ok "$3: exit $status" ;;
	*) not_ok "$3: message '$err' lacks '$2'" ;;
	esac
	same_text "$(db_hash "$db")" "$before" "$3: database unchanged"
}
bad $d/truncated.json "$d/truncated.json:1:" "truncated JSON"
bad $d/wrong-type.json "'ttfts': expected an array of numbers, got a string" "a string where latencies belong"
bad $d/unequal-arrays.json "'itls': has 5 entries but 'ttfts' has 6" "per-request arrays of unequal length"
bad $d/negative-latency.json "'ttfts': request 3: latency -0.002 is negative" "a negative latency"
bad $d/nan-latency.json "'ttfts': request 2: latency nan is negative or not a number" "a NaN latency"
bad $d/empty.json "$d/empty.json: empty file" "an empty file"
bad $d/unknown.txt "unknown format" "a file in no known format"
bad $d "is a directory" "a directory"
bad $d/no-such-file.json "cannot open" "a missing file"

err=$(obl-ingest "$db" $d/summary-disagrees.json 2>&1 >/dev/null)
case "$err" in
*"warning: $d/summary-disagrees.json:1:"*"'mean_ttft_ms' is 9.180248175 in the file, 8.7430935 recomputed"*)
	ok "a summary that disagrees with the raw values is reported, with its position" ;;
*) not_ok "summary warning: '$err'" ;;
esac
same_text "$(sqlite3 "$db" "select message from source_warning" | grep -c "'mean_ttft_ms' is 9.180248175 in the file")" "1" \
	"the warning is stored with its source, for the report"

db2="$work/fail.db"
obl-ingest -q "$db2" $d/one-failed.json 2>/dev/null
same_text "$(sqlite3 "$db2" "select successes || '/' || trials from tallies")|$(sqlite3 "$db2" "select count(*) from samples where metric='ttft_ms'")" \
	"5.0/6.0|5" "a failed request counts into success_rate and is kept out of the latencies"

db3="$work/label.db"
label="bf16 'baseline'; DROP TABLE run;--"
obl-ingest -q -r "$label" -t "scenario=单次问答" -t 'note=a "quoted" value' -s dataset=random "$db3" $g/S2-in128-out512-c1-rep1.json
same_text "$(sqlite3 "$db3" "select label from run")" "$label" "a label with quotes and SQL is stored verbatim"
same_text "$(sqlite3 "$db3" "select value from run_tag where key='scenario'")" "单次问答" "a CJK tag is stored verbatim"
same_text "$(sqlite3 "$db3" "select value from run_tag where key='note'")" 'a "quoted" value' "quotes in a tag survive"
same_text "$(sqlite3 "$db3" "select canonical from scenario")" "concurrency=1;dataset=random;input_len=128;output_len=512" \
	"-s adds a scenario key"

db4="$work/run.db"
obl-ingest -q "$db4" $g/nvidia-smi.csv $g/meta.json
want=$(awk -F', ' 'NR > 1 { v = $2 + 0; if (v > m) m = v } END { printf "%.12g", m / 1024 }' $g/nvidia-smi.csv)
same_text "$(sqlite3 "$db4" "select printf('%.12g', value) from samples where metric='peak_mem_gib'")" "$want" \
	"nvidia-smi: peak_mem_gib is the largest memory.used, MiB to GiB ($want)"
same_text "$(sqlite3 "$db4" "select printf('%.16g', value) from samples where metric='load_time_s'")" "1.376362547999975" \
	"generic JSON: load_time_s from meta.json"
same_text "$(sqlite3 "$db4" "select group_concat(repetition) from trial")" "1,1" \
	"files with different metrics share repetition 1"

db5="$work/csv.db"
obl-ingest -q "$db5" $d/runs.csv
same_text "$(sqlite3 "$db5" "select scenario || ':' || count(*) from samples group by scenario order by scenario")" \
	"concurrency=1:2
concurrency=8:1" "generic CSV: rows grouped into trials by their scenario column"
same_text "$(sqlite3 "$db5" "select value from run_tag where key='note'")" "warm" "a constant text column becomes a tag"

db6="$work/plain.db"
obl-ingest -q -f plain --metric ttft_ms "$db6" examples/plain/ttft-baseline.txt
same_text "$(sqlite3 "$db6" "select count(*), unit from samples")" "80|ms" "plain numbers with --metric ttft_ms: 80 values in ms"

db7="$work/llmperf.db"
obl-ingest -q "$db7" tests/data/llmperf/tinyllama_256_100_summary.json tests/data/llmperf/tinyllama_256_100_individual_responses.json
same_text "$(sqlite3 "$db7" "select group_concat(distinct f.format) from source f")" "llmperf" \
	"LLMPerf summary and individual responses are detected as llmperf"
same_text "$(sqlite3 "$db7" "select scenario || '|' || printf('%.15g', value) from samples where metric = 'median_ttft_ms'")" \
	"concurrency=5;input_len=256;output_len=100|241.668432499864" \
	"LLMPerf summary: median TTFT 0.24166843249986414 s as 241.668 ms, scenario from the file"
same_text "$(sqlite3 "$db7" "select printf('%.15g', value) from samples where metric = 'output_throughput_tok_s'")|$(sqlite3 "$db7" "select successes || '/' || trials from tallies where scenario != ''")" \
	"335.400811053242|50.0/50.0" "LLMPerf summary: output throughput 335.40 tok/s, 50 of 50 requests completed"
same_text "$(sqlite3 "$db7" "select group_concat(printf('%.12g', value), ' ') from samples where metric = 'ttft_ms'")" \
	"57.2493180007 165.808393009" "LLMPerf individual responses: one TTFT sample per request, in ms"
same_text "$(sqlite3 "$db7" "select count(*) from samples where metric = 'llmperf_itl_ms'")" "2" \
	"LLMPerf's end-to-end-per-token 'ITL' keeps its own name (llmperf_itl_ms)"

db8="$work/lm-eval.db"
obl-ingest -q "$db8" tests/data/lm-eval/cpu_regression_expected.json
same_text "$(sqlite3 "$db8" "select scenario || ' ' || metric || ' ' || successes || '/' || trials from tallies order by scenario, metric")" \
	"task=arc_easy acc 3.0/10.0
task=arc_easy acc_norm 1.0/10.0
task=lambada_openai acc 1.0/10.0" "lm-eval: accuracy per task as successes of the 10 samples"
same_text "$(sqlite3 "$db8" "select metric || ' ' || direction || ' ' || printf('%.12g', value) from samples join metric m on m.name = metric where scenario = 'task=wikitext' order by metric")" \
	"bits_per_byte lower 1.3393660745
byte_perplexity lower 2.5304010761
word_perplexity lower 130.481359064" "lm-eval: perplexities as values, lower is better as the file says"

db9="$work/genai.db"
obl-ingest -q "$db9" tests/data/genai-perf/profile_export_aiperf.json
same_text "$(sqlite3 "$db9" "select scenario || ' ' || group_concat(metric || '=' || printf('%.10g', value), ' ') from (select * from samples where metric in ('median_ttft_ms', 'p99_itl_ms', 'output_throughput_tok_s') order by metric)")" \
	"input_len=256;output_len=64 median_ttft_ms=175.05 output_throughput_tok_s=52.69 p99_itl_ms=35.96" \
	"GenAI-Perf/AIPerf export: statistics in ms under summary names, lengths as the scenario"

db10="$work/genai-csv.db"
obl-ingest -q "$db10" tests/data/genai-perf/profile_genai_perf.csv
same_text "$(sqlite3 "$db10" "select group_concat(metric || '=' || printf('%.10g', value) || ' ' || unit, ' ') from (select * from samples where metric in ('mean_ttft_ms', 'p99_e2el_ms', 'output_throughput_tok_s') order by metric)")" \
	"mean_ttft_ms=1146.31 ms output_throughput_tok_s=261.25 tok/s p99_e2el_ms=9436.13 ms" \
	"GenAI-Perf CSV export: quoted thousands (\"1,146.31\") read, same names as the JSON export"

formats=$(obl-ingest --list-formats | cut -d' ' -f1 | tr '\n' ' ')
same_text "$formats" "vllm sglang vllm-nightly guidellm vllm-log llmperf genai-perf genai-perf-csv lm-eval lighteval nvidia-smi go-bench hyperfine gbench pytest-benchmark criterion mlperf-summary mlperf-detail json csv plain " "--list-formats names every reader"

obl-ingest "$work/x.db" 2>/dev/null
same_text "$?" "2" "a database without files is a usage error (exit 2)"
echo "not a database" > "$work/text.db"
err=$(obl-ingest "$work/text.db" $g/meta.json 2>&1)
case "$err" in *"not an SQLite database"*) ok "a text file given as the database: a clear error" ;; *) not_ok "not-a-database: '$err'" ;; esac
sqlite3 "$work/other.db" "create table t(x)"
err=$(obl-ingest "$work/other.db" $g/meta.json 2>&1)
case "$err" in *"not obl's"*) ok "another program's SQLite database is refused" ;; *) not_ok "foreign db: '$err'" ;; esac
sqlite3 "$db6" "pragma user_version = 99"
err=$(obl-ingest "$db6" $g/meta.json 2>&1)
case "$err" in *"schema version 99 is newer"*) ok "a newer schema is refused, naming both versions" ;; *) not_ok "newer schema: '$err'" ;; esac
