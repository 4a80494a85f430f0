#!/bin/sh
# make fuzz FUZZ_SECONDS=N: builds a libFuzzer target per reader and one for the report's
# template engine (clang, ASan+UBSan) and runs
# each for N seconds, seeded from the test data. A crash leaves its input in build-fuzz/ and
# fails the run; keep such inputs under tests/fuzz/regressions/ as regression tests.
set -u
seconds=${1:-30}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=build-fuzz
mkdir -p $out
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
inc="-Ilibstats"
for d in libobl/*/; do inc="$inc -I$d"; done
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -I$out/gen $inc"
mkdir -p $out/gen $out/obj
sh scripts/embed-sql.sh schema/*.sql > $out/gen/schema_sql.h
sh scripts/embed-text.sh templates/report.md templates/report.html > $out/gen/templates.h
sh scripts/embed-sql.sh -n obl_pg_migration schema/pg/*.sql > $out/gen/pg_schema_sql.h
# libpq's headers for pg.c (the PostgreSQL engine), as the Makefile finds them
pq_cflags=$(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
pq_libs=$(pkg-config --libs libpq 2>/dev/null || echo -lpq)
# The libraries once, instrumented for coverage (fuzzer-no-link); each target only links them.
for src in libstats/*.c libobl/*/*.c; do
	obj=$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	clang $cflags $pq_cflags $san -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || exit 2
done
flags="$cflags $san -fsanitize=fuzzer"
srcs="$out/obj/*.o"
libs="-pthread -lsqlite3 $pq_libs -lcsv -lhpdf -lgsl -lgslcblas -lcjson -lutf8proc -lnettle -lm"
status=0
for reader in ${FUZZ_TARGETS:-vllm vllm_nightly vllm_log sglang guidellm lighteval llmperf genai_perf genai_perf_csv lm_eval nvidia_smi go_bench \
	hyperfine gbench pytest_benchmark criterion mlperf_summary mlperf_detail json csv plain \
	template}; do
	bin=$out/fuzz_$reader
	corpus=$out/corpus_$reader
	mkdir -p $corpus
	if [ $reader = template ]; then
		# shellcheck disable=SC2086
		clang $flags -o $bin tests/fuzz/fuzz_template.c $srcs $libs || exit 2
		cp templates/report.md templates/report.html $corpus/
	else
		# shellcheck disable=SC2086
		clang $flags -DREADER=obl_reader_$reader -o $bin tests/fuzz/fuzz_reader.c $srcs \
			$libs || exit 2
		# seeds: every test input (and the regressions found so far)
		find tests/data examples/gpu-h100/baseline tests/fuzz/regressions -type f \
			-size -200k 2>/dev/null | head -400 |
			while read -r f; do cp "$f" "$corpus/" 2>/dev/null; done
	fi
	log=$out/fuzz_$reader.log
	(cd $out && ./fuzz_$reader -seed=1 -max_total_time="$seconds" -max_len=65536 -timeout=10 \
		-print_final_stats=1 -rss_limit_mb=2048 corpus_$reader > fuzz_$reader.log 2>&1)
	result=$?
	execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' $log | grep -o '[0-9]*$')
	[ -n "$execs" ] || execs=$(grep -oE '#[0-9]+' $log | tail -1 | tr -d '#')
	cov=$(grep -oE 'cov: [0-9]+' $log | tail -1 | grep -oE '[0-9]+')
	if [ $result -ne 0 ]; then
		echo "fuzz $reader: FAILED after ${execs:-?} executions (see $log)"
		status=1
	else
		echo "fuzz $reader: ${execs:-?} executions, coverage ${cov:-?} edges, no crash"
	fi
done
exit $status
