# hyperfine, Google Benchmark and pytest-benchmark: real files ingest with their format
# detected, land with the values the tool measured, and compare end to end.
. tests/sh/lib.sh
q() { sqlite3 "$1" "$2"; }

# --- hyperfine ---------------------------------------------------------------------------
d=tests/data/hyperfine
db="$work/hf.db"
same_text "$(obl-ingest "$db" $d/hyperfine-param.json)" \
	"$d/hyperfine-param.json: hyperfine, run hf: 2 trials, 8 series, 24 values" \
	"hyperfine: detected; a trial per command"
same_text "$(q "$db" "select group_concat(distinct scenario) from samples")" \
	"benchmark=seq 1000;n=1000,benchmark=seq 3000;n=3000" \
	"hyperfine: the command and its parameter (-P n) make the scenario"
same_text "$(q "$db" "select count(*), printf('%.10g', min(value)), printf('%.10g', max(value)) from samples where metric='wall_time_s' and scenario like '%n=1000'")" \
	"10|0.004499527|0.007218463" "hyperfine: the 10 run times in seconds (min and max as in the file)"
same_text "$(q "$db" "select printf('%.10g', avg(value)) from samples where metric='wall_time_s' and scenario like '%n=3000'")" \
	"0.0050683324" "hyperfine: their mean is the file's own mean (0.0050683324)"
same_text "$(q "$db" "select successes || '/' || trials from tallies where scenario like '%n=1000'")|$(q "$db" "select value from samples where metric='user_time_s' and scenario like '%n=1000'")" \
	"10.0/10.0|0.0022525" "hyperfine: exit codes give success_rate; mean user time kept"
a="$work/hf-a.db" b="$work/hf-b.db"
obl-ingest -q "$a" $d/hyperfine-two.json
obl-ingest -q "$b" $d/hyperfine-two-rerun.json
out=$(obl-compare "$a" "$b")
same_text "$?|$(echo "$out" | grep 'sleep 0.02  wall_time_s' | tr -s ' ')" \
	"1|benchmark=sleep 0.02 wall_time_s (s) median (HL) 8/8 reps 0.025192 0.02647 +5.07% [+3.85%, +6.44%] 0.0006 worse" \
	"hyperfine: the rerun on a busy machine is 5% slower, and the gate says so"
same_text "$(echo "$out" | grep '^geomean wall_time_s')" "geomean wall_time_s (median): +7.74% over 2 scenarios" \
	"hyperfine: geomean over the commands"

# --- Google Benchmark --------------------------------------------------------------------
d=tests/data/gbench
db="$work/gb.db"
same_text "$(obl-ingest "$db" $d/gbench-reps.json)" \
	"$d/gbench-reps.json: gbench, run gb: 9 trials, 27 series, 27 values" \
	"Google Benchmark: 3 benchmarks x 3 repetitions, each repetition a trial"
same_text "$(q "$db" "select count(*), printf('%.12g', avg(value)) from samples where metric='real_time_ns' and scenario='benchmark=BM_StringCopy/64'")" \
	"3|13.0150175676" \
	"Google Benchmark: aggregates not stored twice; the mean of 3 repetitions equals the file's _mean (13.015017567588451)"
same_text "$(q "$db" "select printf('%.12g', value) from samples where metric='real_time_ns' and scenario='benchmark=BM_Sort/1000' and repetition=1")" \
	"5753.43442198" "Google Benchmark: microseconds (5.753434421978971 us) stored as nanoseconds"
same_text "$(q "$db" "select group_concat(distinct metric) from samples where scenario='benchmark=BM_StringCopy/64'")" \
	"real_time_ns,cpu_time_ns,bytes_per_second" "Google Benchmark: user counters are metrics of their own"
same_text "$(q "$db" "select value from run_tag where key='library_build_type'")" "debug" \
	"Google Benchmark: the context becomes tags"
a="$work/gb-a.db" b="$work/gb-b.db"
obl-ingest -q -r run1 "$a" $d/gbench-reps.json
obl-ingest -q -r run2 "$b" $d/gbench-reps-2.json
out=$(obl-compare "$a" "$b")
same_text "$?|$(echo "$out" | grep 'BM_Sort/1000 *real_time_ns' | tr -s ' ')" \
	"1|benchmark=BM_Sort/1000 real_time_ns (ns) gmean of rep medians 3/3 reps 5400.3 8837.3 +63.65% [+31.29%, +103.98%] 0.0303 worse" \
	"Google Benchmark: repetitions are the unit (3/3 reps); the slower sort is worse"
old="$work/gb-old.db"
obl-ingest -q "$old" $d/test3_run0.json
same_text "$(q "$old" "select group_concat(value) from samples where metric='real_time_ns' and scenario='benchmark=BM_Two'")|$(q "$old" "select count(distinct scenario) from samples")" \
	"9.0,8.0|3" "Google Benchmark, 2016 format: a repeated name is a repetition; BM_Two_stat is a benchmark"
agg="$work/gb-agg.db"
err=$(obl-ingest -q "$agg" $d/gbench-aggregates-only.json 2>&1)
same_text "$(q "$agg" "select printf('%.12g', value) from samples where metric='real_time_ns' and scenario='benchmark=BM_Sort/1000'")" \
	"8179.978702" "Google Benchmark, aggregates only: the _mean row is read"
case "$err" in *"only aggregate rows (--benchmark_report_aggregates_only)"*) ok "and a warning says why it cannot be tested" ;;
*) not_ok "aggregates-only warning: '$err'" ;; esac

# --- pytest-benchmark --------------------------------------------------------------------
d=tests/data/pytest-benchmark
db="$work/pb.db"
same_text "$(obl-ingest "$db" $d/pytest-benchmark.json)" \
	"$d/pytest-benchmark.json: pytest-benchmark, run pb: 3 trials, 3 series, 323 values" \
	"pytest-benchmark: detected; stats.data are the samples"
same_text "$(q "$db" "select count(*), printf('%.12g', avg(value)) from samples where scenario='benchmark=test_pb.py::test_sum;n=20000'")" \
	"195|0.000128450584627" \
	"pytest-benchmark: 195 rounds; their mean is the file's stats.mean (0.0001284505846272693); params as scenario keys"
same_text "$(q "$db" "select value from run_tag where key='pytest_benchmark'")" "3.2.2" \
	"pytest-benchmark: the version and machine become tags"
a="$work/pb-a.db" b="$work/pb-b.db"
obl-ingest -q "$a" $d/pytest-benchmark.json
obl-ingest -q "$b" $d/pytest-benchmark-2.json
out=$(obl-compare "$a" "$b")
same_text "$?|$(echo "$out" | grep 'test_sorted' | tr -s ' ')" \
	"1|benchmark=test_pb.py::test_sorted sec_per_op (s) median (HL) 39/27 reps 1.4768e-04 1.2228e-04 -17.20% [-28.44%, -11.71%] 0.0045 better" \
	"pytest-benchmark: compared end to end (Mann-Whitney on the rounds)"
old="$work/pb-old.db"
err=$(obl-ingest -q "$old" $d/0030_storage.json 2>&1)
same_text "$(q "$old" "select metric || '=' || value from samples order by metric" | tr '\n' ' ')" \
	"max_sec_per_op=1.32900379650001e-05 mean_sec_per_op=2.61205074138546e-07 median_sec_per_op=2.20163792302603e-07 min_sec_per_op=2.17951090872426e-07 stddev_sec_per_op=2.63984218823123e-07 " \
	"pytest-benchmark without data (2.5.0): its summaries as aggregates"
same_text "$(q "$old" "select value from run_tag where key='commit'")|$(q "$old" "select value from run_tag where key='python'")" \
	"5b78858eb718649a31fb93d8dc96ca2cee41a4cd|2.7.3" "pytest-benchmark: commit and Python version as tags"
case "$err" in *"no per-round data (stats.data)"*) ok "pytest-benchmark: summaries only is a warning" ;;
*) not_ok "pytest-benchmark summaries warning: '$err'" ;; esac

# --- Criterion.rs ------------------------------------------------------------------------
d=tests/data/criterion
db="$work/cr.db"
same_text "$(obl-ingest "$db" $d/run1/target/criterion/fib/10/new/sample.json)" \
	"$d/run1/target/criterion/fib/10/new/sample.json: criterion, run cr: 1 trial, 1 series, 20 values" \
	"Criterion: sample.json detected, 20 samples"
same_text "$(q "$db" "select scenario, printf('%.10g', value) from samples where seq = 1")" \
	"benchmark=fib/10|206.7442777" \
	"Criterion: the benchmark named from its path; a sample is times / iters (1625837 ns / 7864)"
obl-ingest -q "$db" $d/run1/target/criterion/fib/10/new/estimates.json
same_text "$(q "$db" "select printf('%.12g', value) from samples where metric='mean_ns_per_op'")" \
	"183.094120744" "Criterion: estimates.json's point estimates as aggregates (mean 183.09412074434232)"
a="$work/cr-a.db" b="$work/cr-b.db"
obl-ingest -q -r run1 "$a" $d/run1/target/criterion/fib/*/new/*.json
obl-ingest -q -r run2 "$b" $d/run2/target/criterion/fib/*/new/*.json
out=$(obl-compare "$a" "$b")
same_text "$?|$(echo "$out" | grep 'fib/10 *ns_per_op' | tr -s ' ')" \
	"0|benchmark=fib/10 ns_per_op (ns) median (HL) 20/20 values* 179.73 142.15 -20.91% [-23.87%, -17.94%] 2.7e-07 better" \
	"Criterion: compared end to end; agrees with Criterion's own report (change -19.845% [-23.588%, -15.287%], p < 0.05)"
same_text "$(echo "$out" | grep 'fib/10 *mean_ns_per_op' | tr -s ' ')" \
	"benchmark=fib/10 mean_ns_per_op (ns) mean 1/1 reps 183.09 146.76 -19.85% - no-test (info)" \
	"Criterion: the change of its mean estimate is Criterion's own point estimate (-19.845%)"

# --- MLPerf Inference LoadGen ------------------------------------------------------------
d=tests/data/mlperf
db="$work/ml.db"
same_text "$(obl-ingest "$db" $d/llama2-70b-server-summary.txt)" \
	"$d/llama2-70b-server-summary.txt: mlperf-summary, run ml: 1 trial, 30 series, 30 values" \
	"MLPerf summary: detected; throughput and three latency families"
v() { q "$db" "select value from samples where metric='$1'"; }
same_text "$(q "$db" "select distinct scenario from samples")|$(v samples_per_s)|$(v tokens_per_s)|$(v scheduled_samples_per_s)" \
	"scenario=Server|71.74|21028.23|73.66" \
	"MLPerf summary: the scenario; completed samples and tokens per second (tokens once, though written twice)"
same_text "$(v median_ttft_ms)|$(v p99_ttft_ms)|$(v p99.9_tpot_ms)|$(v median_latency_ms)" \
	"990.199455|1604.171041|203.573466|37054.678257" \
	"MLPerf summary: ns to ms; first-token latency as ttft, time to output token as tpot, 50.00 as median"
same_text "$(q "$db" "select group_concat(key || '=' || value, ' ') from run_tag")" \
	"mode=PerformanceOnly result=VALID sut=PySUT target_qps=73.5" "MLPerf summary: SUT, mode, validity as tags"
off="$work/ml-off.db"
obl-ingest -q "$off" $d/llama2-70b-offline-summary.txt
same_text "$(q "$off" "select count(*) from samples")|$(v samples_per_s)|$(q "$off" "select value from samples where metric='p99.9_latency_ms'")" \
	"11|71.74|919874.478157" "MLPerf summary, Offline: 11 values, no token latencies"
det="$work/ml-detail.db"
same_text "$(obl-ingest "$det" $d/resnet50-singlestream-detail-excerpt.txt)" \
	"$d/resnet50-singlestream-detail-excerpt.txt: mlperf-detail, run ml-detail: 1 trial, 10 series, 10 values" \
	"MLPerf detail log: detected from its :::MLLOG lines"
same_text "$(q "$det" "select scenario || ' ' || metric || '=' || value from samples where metric in ('samples_per_s', 'p90_latency_ms')" | tr '\n' ' ')" \
	"scenario=SingleStream samples_per_s=2330.52 scenario=SingleStream p90_latency_ms=0.432606 " \
	"MLPerf detail log: result_ entries (QPS without loadgen overhead, percentiles in ms)"
same_text "$(q "$det" "select value from source_tag where key='date'")" "2021-03-11T07:32:03Z" \
	"MLPerf detail log: the test's date is provenance, kept with the file (source_tag)"
a="$work/ml-1.db" b="$work/ml-8.db"
obl-ingest -q -r 1gpu "$a" $d/llama2-70b-server-1gpu-summary.txt
obl-ingest -q -r 8gpu "$b" $d/llama2-70b-server-summary.txt
out=$(obl-compare "$a" "$b")
same_text "$?|$(echo "$out" | grep ' samples_per_s (1/s)' | tr -s ' ')" \
	"0|scenario=Server samples_per_s (1/s) mean 1/1 reps 8.59 71.74 +735.16% - no-test" \
	"MLPerf: two systems compared end to end; one run each, so a change without a test"
