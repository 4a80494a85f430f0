# The report without blemishes: poppler reads the PDF without a warning, every font is
# embedded (the CJK one too, only when used), characters no font has are shown as their code,
# the gate says how many rows it tested, the forest plot says which way is better, and the
# Markdown report carries its charts as Mermaid blocks a pull-request comment draws.
. tests/sh/lib.sh
g=examples/gpu-h100
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then
	skip "the PDF read by poppler" "poppler-utils not installed"
	exit 0
fi
obl-ingest -q -r baseline "$work/base.db" $g/baseline/*.json
obl-ingest -q -r cand-fp32 "$work/fp32.db" $g/cand-fp32/*.json
obl-report -o "$work/r.pdf" "$work/base.db" "$work/fp32.db"
pdftotext "$work/r.pdf" "$work/r.txt" 2>"$work/warn"
same_text "$(cat "$work/warn")" "" "pdftotext reads the H100 report without a warning"
pdffonts "$work/r.pdf" 2>"$work/warn" | tail -n +3 >"$work/fonts"
same_text "$(cat "$work/warn")|$(awk '{ print $(NF-4) }' "$work/fonts" | sort -u)|$(wc -l <"$work/fonts" | tr -d ' ')" \
	"|yes|2" "pdffonts: two fonts (DejaVu Sans and Bold), both embedded; no CJK font where no CJK text is"
case "$(tr '\n' ' ' <"$work/r.txt")" in
*"Gate: FAIL. At least one gating metric is significantly worse (alpha 0.05 after Holm correction across all candidates, threshold 2%); "*" of "*" gating rows tested, the others had no test and could not fail it."*)
	ok "the gate says how many gating rows were tested" ;;
*) not_ok "the gate line: $(grep -A2 'Gate:' "$work/r.txt" | tr '\n' ' ')" ;;
esac
case "$(tr '\n' ' ' <"$work/r.txt")" in
*"← lower"*"candidate / baseline - 1"*"higher →"*) ok "forest plot: which way is higher under its axis (metrics of both directions)" ;;
*) not_ok "forest plot direction words missing" ;;
esac

# Chinese labels and an emoji: WenQuanYi embedded, the emoji as its code.
obl-ingest -q -r '基线 😀' -s 'task=单次问答' "$work/zh.db" $g/baseline/*.json
obl-ingest -q -r '候选 😃' -s 'task=单次问答' "$work/zh2.db" $g/cand-fp32/*.json
obl-report -o "$work/zh.pdf" "$work/zh.db" "$work/zh2.db"
pdftotext "$work/zh.pdf" "$work/zh.txt" 2>"$work/warn"
same_text "$(cat "$work/warn")" "" "pdftotext reads a report with Chinese labels without a warning"
if [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
	same_text "$(pdffonts "$work/zh.pdf" | grep -c 'WenQuanYiMicroHei *CID TrueType *Identity-H *yes yes yes')" "1" \
		"the CJK font is embedded (a subset, with a ToUnicode map)"
	same_text "$(grep -c 'task=单次问答' "$work/zh.txt" | awk '{ print ($1 > 0) }')" "1" \
		"Chinese scenario values come out of the PDF as they went in"
else
	skip "the CJK font embedded" "fonts-wqy-microhei not installed"
	skip "Chinese text read back" "fonts-wqy-microhei not installed"
fi
same_text "$(head -1 "$work/zh.txt")" "基线 U+1F600 vs 候选 U+1F603" \
	"an emoji no font has is shown as its code, not '?'"

# Markdown: the forest and the lines as Mermaid xychart-beta blocks.
obl-report "$work/base.db" "$work/fp32.db" >"$work/r.md"
same_text "$(grep -c '^```mermaid$' "$work/r.md")|$(grep -c '^xychart-beta$' "$work/r.md")" "3|3" \
	"Markdown on stdout: the forest plot and two charts of lines as Mermaid blocks"
n_rows=$(grep -A3 '^xychart-beta$' "$work/r.md" | grep -m1 '^    x-axis' | grep -o '", "' | wc -l)
n_bars=$(grep -m1 '^    bar \[' "$work/r.md" | grep -o ', ' | wc -l)
same_text "$n_bars" "$n_rows" "the forest block has a bar per row"
at=$(grep -m1 '^    x-axis' "$work/r.md" | sed 's/^    x-axis \[//; s/", "/\n/g' | grep -n 'ttft_ms (median)  c=1 in=128 out=512' | cut -d: -f1)
same_text "$(grep -m1 '^    bar \[' "$work/r.md" | sed 's/^    bar \[//; s/\]$//' | cut -d, -f"${at:-0}" | tr -d ' ')" "61.53" \
	"the bar of TTFT at input 128 / output 512 is the +61.53% change"
obl-report -o "$work/dir.md" "$work/base.db" "$work/fp32.db"
same_text "$(grep -c '^```mermaid$' "$work/dir.md")|$(ls "$work"/dir-*.svg | wc -l | tr -d ' ')" "3|8" \
	"Markdown to a file: Mermaid blocks and every chart as an SVG file beside it"
