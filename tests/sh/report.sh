# obl-report: the report's content (real values from the H100 runs), its three formats,
# determinism, templates, CJK text in the PDF, and paths that must stay inside the output.
. tests/sh/lib.sh
g=examples/gpu-h100
for r in baseline baseline-rerun cand-fp32; do
	obl-ingest -q -r $r "$work/$r.db" $g/$r/*.json $g/$r/nvidia-smi.csv || not_ok "ingest $r"
done
B="$work/baseline.db" A="$work/baseline-rerun.db" F="$work/cand-fp32.db"

# --- Markdown: the content -------------------------------------------------------------
obl-report -o "$work/r.md" "$B" "$F"
same_text "$?" "0" "a report is written (exit 0, even though it reports a regression)"
md="$work/r.md"
same_text "$(grep -c '^### Gate: FAIL' "$md")" "1" "the summary opens with the gate's result: FAIL"
same_text "$(grep '^- cand-fp32: time to first token' "$md")" \
	"- cand-fp32: time to first token (median) +61.53% [+29.78%, +101.04%] at concurrency=1 input_len=128 output_len=512 (p adj 0.0341)" \
	"the regression in words, with its interval, scenario and adjusted p (as obl-compare)"
same_text "$(grep '^cand-fp32 against baseline' "$md")" \
	"cand-fp32 against baseline: 1 worse, 0 better, 0 the same, 47 inconclusive, 7 without a test." \
	"verdict counts of the candidate"
same_text "$(grep '^| ttft_ms (gmean of rep medians) | 9.353 |' "$md")" \
	"| ttft_ms (gmean of rep medians) | 9.353 | 15.108 | +61.53% | [+29.78%, +101.04%] | 0.0341 | **worse** |" \
	"the scenario table row of the regression"
same_text "$(grep '^| input_len=64 output_len=128 |' "$md")" \
	"| input_len=64 output_len=128 | 8 (p95 84.016 ms) | 8 (p95 20.379 ms) |" \
	"capacity under the default SLO (p95 TTFT <= 2000 ms): concurrency 8 for both runs"
same_text "$(grep -c '^| dtype | torch.bfloat16 | torch.float32 |' "$md")" "1" \
	"the runs' tags side by side show what differs (dtype)"
same_text "$(grep -c 'Welch.s t test on log values (ratio of geometric means): 40 rows' "$md")" "1" \
	"the methodology counts the rows of each test"
same_text "$(ls "$work" | grep -c '^r-.*\.svg$')" "8" \
	"8 charts as SVG beside the Markdown (forest, 2 against concurrency, 5 ECDFs)"
same_text "$(grep -c '](r-forest-cand-fp32.svg)' "$md")" "1" "the Markdown links the forest plot"
same_text "$(head -c 4 "$work/r-forest-cand-fp32.svg")$(tail -n 1 "$work/r-forest-cand-fp32.svg")" \
	"<svg</svg>" "an SVG file is a whole SVG document"
same_text "$(grep -c 'stroke="#cf222e"' "$work/r-forest-cand-fp32.svg")" "1" \
	"the forest plot has one interval drawn in the colour of worse"

# A/A: nothing worse; the gate passes.
obl-report "$B" "$A" >"$work/aa.md"
same_text "$(grep -c '^### Gate: pass' "$work/aa.md")" "1" "A/A: the gate passes"
same_text "$(grep -c 'chart.*left out: Markdown on standard output' "$work/aa.md")" "1" \
	"Markdown on stdout says its charts were left out"

# A tighter SLO: p95 TTFT <= 10 ms is met nowhere.
obl-report --no-charts --slo ttft_p95_ms=10 -o "$work/slo.md" "$B" "$F"
same_text "$(grep '^| input_len=128 output_len=512 |' "$work/slo.md")" \
	"| input_len=128 output_len=512 | none (p95 36.402 ms at concurrency 1) | none (p95 22.996 ms at concurrency 1) |" \
	"an SLO met at no load says so, with the p95 at the lowest load"
same_text "$(ls "$work" | grep -c '^slo-')" "0" "--no-charts writes no chart files"
err=$(obl-report --slo ttft=5 "$B" "$F" 2>&1 >/dev/null)
same_text "$?|$err" "2|obl-report: '--slo': 'ttft=5': name a percentile, e.g. ttft_p95_ms=2000 (p95 of ttft_ms)" \
	"an SLO without a percentile is a usage error"

# --- Determinism -----------------------------------------------------------------------
for f in md html; do
	obl-report -o "$work/d1.$f" "$B" "$F"
	mv "$work/d1.$f" "$work/d0.$f"
	obl-report -o "$work/d1.$f" "$B" "$F"
	check "the same inputs give byte-identical $f" cmp -s "$work/d0.$f" "$work/d1.$f"
done
SOURCE_DATE_EPOCH=1764460800 obl-report -o "$work/p1.pdf" "$B" "$F"
SOURCE_DATE_EPOCH=1764460800 obl-report -o "$work/p2.pdf" "$B" "$F"
check "with SOURCE_DATE_EPOCH, byte-identical PDF" cmp -s "$work/p1.pdf" "$work/p2.pdf"
same_text "$(pdfinfo "$work/p1.pdf" 2>/dev/null | sed -n 's/^CreationDate: *//p')" \
	"Sun Nov 30 00:00:00 2025 UTC" "the PDF's creation date is SOURCE_DATE_EPOCH"

# --- HTML: one self-contained file ------------------------------------------------------
obl-report -o "$work/r.html" "$B" "$F"
h="$work/r.html"
same_text "$(grep -c '<svg ' "$h")" "8" "HTML: the 8 charts inline as SVG"
same_text "$(grep -c -E '(src|href)=' "$h")" "0" "HTML: no external references"
same_text "$(grep -c '<tr class="bad"><td>ttft_ms (gmean of rep medians)</td>' "$h")" "1" \
	"HTML: the regression's row is marked bad"

# --- PDF: text, CJK labels, pages ------------------------------------------------------
pdf="$work/p1.pdf"
txt=$(pdftotext -layout "$pdf" - 2>/dev/null)
for s in "Gate: FAIL" "+61.53%" "[+29.78%, +101.04%]" "0.0341" "worse" "Capacity under the SLO" \
	"Methodology" "torch.float32"; do
	case "$txt" in *"$s"*) ok "pdftotext finds '$s'" ;; *) not_ok "pdftotext lacks '$s'" ;; esac
done
pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
mkdir "$work/png"
pdftoppm -r 30 -png "$pdf" "$work/png/p" 2>/dev/null
same_text "$(ls "$work/png" | wc -l | tr -d ' ')" "$pages" "every page of the PDF rasterises ($pages)"
size=$(wc -c <"$pdf")
check "the PDF is under 1 MB ($size bytes)" test "$size" -lt 1000000

# The seed study's scenario names, a CJK run label and title: every character survives.
c="$work/cjk"
mkdir "$c"
obl-ingest -q -r 基线 -s name=单次问答 "$c/a.db" $g/baseline/S1-*.json
obl-ingest -q -r 基线 -s name=长文本生成 "$c/a.db" $g/baseline/S2-*.json
obl-ingest -q -r 基线 -s name=多用户并发 "$c/a.db" $g/baseline/S3-*c4-*.json
obl-ingest -q -r 候选 -s name=单次问答 "$c/b.db" $g/cand-fp32/S1-*.json
obl-ingest -q -r 候选 -s name=长文本生成 "$c/b.db" $g/cand-fp32/S2-*.json
obl-ingest -q -r 候选 -s name=多用户并发 "$c/b.db" $g/cand-fp32/S3-*c4-*.json
obl-report --title "量化对比 AWQ" -o "$c/r.pdf" "$c/a.db" "$c/b.db"
ctxt=$(pdftotext "$c/r.pdf" - 2>/dev/null)
for s in 单次问答 长文本生成 多用户并发 基线 候选 "量化对比 AWQ" "name=单次问答"; do
	case "$ctxt" in *"$s"*) ok "PDF: pdftotext finds the CJK label '$s'" ;;
	*) not_ok "PDF: the CJK label '$s' is missing" ;; esac
done
obl-report --title "量化对比" -o "$c/r.html" "$c/a.db" "$c/b.db"
same_text "$(grep -c '<title>量化对比</title>' "$c/r.html")" "1" "HTML: UTF-8 title verbatim"

# --- Templates and layout --------------------------------------------------------------
printf '# {{title}}\n\n{{summary}}\n' >"$work/t.md"
obl-report --template "$work/t.md" -o "$work/t-out.md" "$B" "$F"
same_text "$(head -n 1 "$work/t-out.md")|$(grep -c '^## ' "$work/t-out.md")" \
	"# baseline vs cand-fp32|0" "a user's template: only its sections, in its order"
printf 'ok {{title}}\nline two\n  {{ bogus }} here\n' >"$work/bad.md"
err=$(obl-report --template "$work/bad.md" "$B" "$F" 2>&1 >/dev/null)
same_text "$?|$err" \
	"2|obl-report: $work/bad.md:3: unknown placeholder {{bogus}} (known: title, version, runs, summary, scenarios, slo, charts, methodology)" \
	"an unknown placeholder is an error naming the line"
printf 'x\n{{title\n' >"$work/open.md"
err=$(obl-report --template "$work/open.md" "$B" "$F" 2>&1 >/dev/null)
same_text "$?|$err" "2|obl-report: $work/open.md:2: '{{' without '}}' on the same line" \
	"an unterminated placeholder names its line"
printf '# layout\npage = letter\nsections = summary methodology\n' >"$work/l.conf"
obl-report --template "$work/l.conf" -o "$work/letter.pdf" "$B" "$F"
same_text "$(pdfinfo "$work/letter.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')" \
	"612 x 792 pts (letter)" "a PDF layout file sets the page size"
case "$(pdftotext "$work/letter.pdf" - 2>/dev/null)" in
*"Results by scenario"*) not_ok "the layout's section list is not honoured" ;;
*Methodology*) ok "the layout file chooses the sections" ;;
*) not_ok "layout: no methodology" ;;
esac
printf 'page = a4\npaper = a5\n' >"$work/l2.conf"
err=$(obl-report --template "$work/l2.conf" -o "$work/x.pdf" "$B" "$F" 2>&1)
same_text "$?|$err|$(test -e "$work/x.pdf" && echo written)" \
	"2|obl-report: $work/l2.conf:2: 'paper': unknown setting (page, margin, font_size, font, bold_font, cjk_font, sections)|" \
	"an unknown layout setting is an error naming the line; nothing is written"

# --- Paths stay inside the output's directory ------------------------------------------
obl-ingest -q -r "../../evil/x" "$work/evil.db" $g/cand-fp32/S1-*.json
mkdir "$work/out"
obl-report -o "$work/out/e.md" "$B" "$work/evil.db"
same_text "$(ls "$work/out" | grep -c 'forest')|$(ls "$work" | grep -c evil)" \
	"1|1" "a run label with '../' names a chart file inside the output directory only"
err=$(obl-report -o "$work/r.txt" "$B" "$F" 2>&1)
same_text "$?|$err" \
	"2|obl-report: $work/r.txt: cannot tell the format from the extension: use .pdf, .md or .html, or --format" \
	"an unknown output extension is a usage error"

# --- Warnings carried from ingest to the report -----------------------------------------
obl-ingest -q -r odd "$work/odd.db" tests/data/ingest/summary-disagrees.json 2>/dev/null
obl-report --no-charts -o "$work/odd.md" "$B" "$work/odd.db"
same_text "$(grep -c "^- Input of odd disagreed with its own summary: tests/data/ingest/summary-disagrees.json: .*'mean_ttft_ms' is 9.180248175 in the file, 8.7430935 recomputed" "$work/odd.md")" \
	"1" "a summary that disagreed with its raw values at ingest is listed among the warnings"
same_text "$(grep -c 'Requests of fewer repetitions are not independent' "$work/odd.md")" "1" \
	"one repetition per side: the report says request rows are not independent (never gate)"
