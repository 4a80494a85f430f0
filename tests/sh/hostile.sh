# Hostile but valid input: stored or computed exactly, never truncated or mangled.
. tests/sh/lib.sh
g=examples/gpu-h100/baseline
# A 1 MB tag value from the file itself (an argument that long exceeds what exec allows).
awk 'BEGIN { s = "m"; while (length(s) < 1000000) s = s s; long = substr(s, 1, 1000000) ";'"'"'\\\"--" }
{
	i = index($0, "\"model_id\": \"")
	if (i) {
		rest = substr($0, i + 13)
		$0 = substr($0, 1, i + 12) long substr(rest, index(rest, "\""))
	}
	print
}' "$g/S1-in64-out128-c1-rep3.json" >"$work/long.json"
obl-ingest -q -r long "$work/h.db" "$work/long.json"
same_text "$?|$(sqlite3 "$work/h.db" "select length(value), substr(value, 1000000) from run_tag where key='model'")" \
	"0|1000005|m;'\"--" "a 1 MB tag with SQL metacharacters is stored whole and verbatim"
# -0, the smallest denormal and the smallest normal double are data.
out=$(obl-stats --format csv tests/data/hostile/denormal.txt)
same_text "$(echo "$out" | tail -n 1 | cut -d, -f7-11)" "4,0.25,0.5,-0,1.1125369292536007e-308" \
	"-0, 4.9e-324 and 2.2e-308 are numbers: n 4, mean 0.25, sd 0.5, min -0, median (4.9e-324 + 2.2e-308) / 2"
same_text "$(printf '%s\n' -0 4.9e-324 | obl-stats --format json - | grep -o '"max": *[^,]*')" \
	'"max": 4.94065645841247e-324' "the smallest denormal survives reading and printing"
