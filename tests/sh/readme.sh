# The README is a test: every command of its sessions (the ```console blocks, lines that
# start with "$ ") runs verbatim, in order, in a fresh directory that has the clone's
# examples/ and tests/ (linked, never copied), with the built tools first on PATH - what
# `make install PREFIX="$HOME/.local"` and the PATH line of the set-up give a user. Each
# command runs on a pseudo-terminal (script(1)), as a user's would, with NO_COLOR=1 (no
# escape sequences to compare) and OBL_PROGRESS=0. The lines the README shows under a command
# must appear in its output, in order, blanks collapsed; "..." in the README skips lines, and
# a command whose block shows no output must print nothing. OBL_README_SHOW=1 prints what
# each command printed (for writing the README).
. tests/sh/lib.sh
if ! command -v script >/dev/null 2>&1; then
	skip "the README's sessions run as written" "script(1) (util-linux) not installed"
	exit 0
fi
top=$(pwd)
home="$work/home"
mkdir -p "$home"
ln -s "$top/examples" "$home/examples"
ln -s "$top/tests" "$home/tests"

# The sessions: one file per command, commands/N (the command) and expected/N (the excerpt).
awk -v dir="$work" '
	/^```console$/ { inblock = 1; next }
	/^```/ && inblock { inblock = 0; next }
	inblock && /^\$ / { n++; cmd = substr($0, 3); print cmd > (dir "/cmd." n); printf "" > (dir "/want." n); next }
	inblock && n { print >> (dir "/want." n) }
' README.md
n=$(ls "$work"/cmd.* 2>/dev/null | wc -l)
same_text "$(test "$n" -ge 20 && echo many)" "many" "the README has sessions to run ($n commands)"

collapse() { tr -d '\r' | sed 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//'; }
i=1
status=0
while [ "$i" -le "$n" ]; do
	cmd=$(cat "$work/cmd.$i")
	# $? of the previous command is what `echo $?` shows
	(cd "$home" && HOME="$home" NO_COLOR=1 OBL_PROGRESS=0 TERM=xterm SHELL=/bin/sh \
		script -qec "(exit $status); $cmd" /dev/null </dev/null) >"$work/got.raw.$i" 2>&1
	status=$?
	collapse <"$work/got.raw.$i" >"$work/got.$i"
	collapse <"$work/want.$i" >"$work/want.c.$i"
	[ -n "${OBL_README_SHOW:-}" ] && { echo "## \$ $cmd (exit $status)"; tr -d '\r' <"$work/got.raw.$i"; }
	# every shown line in order ("..." skips): a subsequence of the real output's lines
	if awk -v got="$work/got.$i" '
		BEGIN { while ((getline line < got) > 0) g[++ng] = line }
		$0 == "..." || $0 == "" { next }
		{ while (++at <= ng && g[at] != $0) ; if (at > ng) { print "missing: " $0; bad = 1; exit } }
		END { exit bad }' "$work/want.c.$i" >"$work/why.$i"; then
		if [ ! -s "$work/want.c.$i" ] && [ -s "$work/got.$i" ]; then
			not_ok "README \$ $cmd: shows no output, printed: $(head -3 "$work/got.$i")"
		else
			ok "README \$ $cmd"
		fi
	else
		not_ok "README \$ $cmd: $(cat "$work/why.$i")"
	fi
	i=$((i + 1))
done
