# Detection that does not depend on layout: JSON whatever its size and key order, a UTF-8
# byte-order mark, gzip named, decimal commas refused, a file that yields nothing refused.
. tests/sh/lib.sh
g=examples/gpu-h100/baseline/S1-in64-out128-c1-rep1.json

# A vLLM result of 150 000 requests with its keys sorted (as a fixture author or jq -S
# writes them): its summaries and "ttfts" lie more than a MiB from both ends of the file.
awk 'BEGIN {
	n = 150000
	printf "{\"completed\": %d, \"date\": \"20260101-000000\", \"duration\": 10.0, \"errors\": [", n
	for (i = 0; i < n; i++) printf "%s\"\"", i ? ", " : ""
	printf "], \"input_lens\": ["
	for (i = 0; i < n; i++) printf "%s64", i ? ", " : ""
	printf "], \"itls\": ["
	for (i = 0; i < n; i++) printf "%s[0.02]", i ? ", " : ""
	printf "], \"mean_ttft_ms\": 10.0, \"output_lens\": ["
	for (i = 0; i < n; i++) printf "%s2", i ? ", " : ""
	printf "], \"output_throughput\": 2.0, \"request_throughput\": 1.0, \"ttfts\": ["
	for (i = 0; i < n; i++) printf "%s0.0100000000000000", i ? ", " : ""
	printf "]}\n"
}' >"$work/big.json"
out=$(obl-ingest --dump "$work/big.json" 2>&1)
case "$out" in
"format vllm"*"ttft_ms [ms] lower sample n=150000: 10 10 10 ... 10"*)
	ok "a 5 MB vLLM result with sorted keys is recognised as vLLM (150000 TTFTs of 10 ms)" ;;
*) not_ok "a large vLLM result with sorted keys: $(echo "$out" | head -3)" ;;
esac

# A byte-order mark is skipped; the values are those of the file without it.
printf '\357\273\277' | cat - "$g" >"$work/bom.json"
same_text "$(obl-ingest --dump "$work/bom.json" | sed -n 1p)" "format vllm" \
	"a UTF-8 byte-order mark is skipped: the file is read as vLLM"
same_text "$(obl-ingest --dump "$work/bom.json" | grep ttft_ms)" "$(obl-ingest --dump "$g" | grep ttft_ms)" \
	"a UTF-8 byte-order mark changes no value"

# One-line (minified) JSON is JSON, never CSV.
tr -d '\n' <"$g" >"$work/one-line.json"
same_text "$(obl-ingest --dump "$work/one-line.json" | sed -n 1p)" "format vllm" \
	"a vLLM result on one line is read as vLLM, not sniffed as CSV"

refused() { # file message description
	err=$(obl-ingest --dump "$1" 2>&1 >/dev/null)
	status=$?
	case "$err" in
	*"$2"*) same_text "$status" 3 "$3: exit 3, '$2'" ;;
	*) not_ok "$3: message '$err' lacks '$2'" ;;
	esac
}
gzip -c "$g" >"$work/r.json.gz"
refused "$work/r.json.gz" "r.json.gz: a gzip-compressed file: decompress it first" "gzip"
printf '1,5\n2,25\n' >"$work/comma.txt"
refused "$work/comma.txt" "comma.txt:1: the first row is numbers, not column names: numbers with decimal commas" \
	"numbers with decimal commas"
printf 'ttft;tpot\n1,5;2,5\n' >"$work/semi.csv"
refused "$work/semi.csv" "semi.csv: unknown format: separated by semicolons (decimal commas?)" \
	"a semicolon-separated export with decimal commas"
printf 'run,ttft_ms\na,"12,5"\n' >"$work/quoted.csv"
refused "$work/quoted.csv" "quoted.csv:2: 'ttft_ms': '12,5' has a decimal comma" \
	"a quoted CSV cell with a decimal comma"
printf '{"name": "x", "note": "nothing measured"}\n' >"$work/nothing.json"
refused "$work/nothing.json" "nothing.json: no values found: read as json" "a file that yields no value"
