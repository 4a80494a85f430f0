# obl - statistically honest benchmark comparison.
#
#   make            build the tools into build/bin
#   make check      install missing packages, build, run every test
#   make demo       install missing packages, build, run the example comparison
#   make asan       the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      performance figures (printed, never asserted)
#   make calibrate  false alarms and power of the gate on the real H100 runs, and
#                   obl-history's change points on simulated histories: detection, false
#                   change points per 1000 runs, position error (fixed seeds; printed)
#   make valgrind   each tool's main paths under valgrind: no leaks, no invalid accesses
#   make fuzz       FUZZ_SECONDS=N: each reader under libFuzzer (clang, ASan+UBSan)
#   make install    PREFIX=/usr/local (or ~/.local): tools, man pages, bash completion
#   make deps       install missing Debian packages (apt-get, as root or via sudo)
#   make layers     every #include against the table of allowed layers (docs/DESIGN.md 2)
#   make format     rewrite the C sources as .clang-format says; make format-check: check

CC      ?= cc
PREFIX  ?= /usr/local
# PREFIX=~/.local from a shell that leaves the tilde alone (sh, make -e): the home directory
override PREFIX := $(patsubst ~%,$(HOME)%,$(PREFIX))
BUILD   ?= build
CFLAGS  ?= -O2 -g
SAN     ?=
FUZZ_SECONDS ?= 30
# Warnings are fatal in CI (CI=true) and whenever WERROR=-Werror is given.
ifeq ($(CI),true)
WERROR  ?= -Werror
endif
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -I$(BUILD)/gen $(OBL_INC) -Ilibstats $(WARN) $(WERROR) $(CFLAGS) $(SAN) -MMD -MP
LDLIBS   = -pthread -lsqlite3 -lcsv -lhpdf -lgsl -lgslcblas -lcjson -lutf8proc -lnettle -lm

STATS_SRC := $(wildcard libstats/*.c)
OBL_SRC   := $(wildcard libobl/*/*.c)
# libobl's layers (docs/DESIGN.md section 2); every folder is on the include path.
OBL_DIRS  := include base model read store compare history render report
OBL_INC   := $(OBL_DIRS:%=-Ilibobl/%)
TOOLS     := obl-stats obl-compare obl-ingest obl-report obl-runs obl-history
TESTS     := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

STATS_OBJ := $(STATS_SRC:%.c=$(BUILD)/%.o)
OBL_OBJ   := $(OBL_SRC:%.c=$(BUILD)/%.o)
TOOL_BINS := $(TOOLS:%=$(BUILD)/bin/%)
TEST_BINS := $(TESTS:%=$(BUILD)/tests/%)

.SECONDARY:

.PHONY: all check check-only demo asan bench calibrate valgrind fuzz install deps clean format format-check man layers

all: $(TOOL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The schema is compiled in: schema/NNN-*.sql become C arrays of lines.
$(BUILD)/gen/schema_sql.h: $(sort $(wildcard schema/*.sql)) scripts/embed-sql.sh
	@mkdir -p $(@D)
	sh scripts/embed-sql.sh $(sort $(wildcard schema/*.sql)) > $@

$(BUILD)/libobl/store/sqlite.o: $(BUILD)/gen/schema_sql.h

# The default report templates are compiled in too.
$(BUILD)/gen/templates.h: templates/report.md templates/report.html scripts/embed-text.sh
	@mkdir -p $(@D)
	sh scripts/embed-text.sh templates/report.md templates/report.html > $@

$(BUILD)/libobl/report/text.o: $(BUILD)/gen/templates.h

$(BUILD)/libstats.a: $(STATS_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libobl.a: $(OBL_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(BUILD)/tools/tool.o $(BUILD)/tools/heap.o $(BUILD)/libobl.a $(BUILD)/libstats.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libobl.a $(BUILD)/libstats.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@sh scripts/install-deps.sh

# The #include lines of libobl/ and libstats/ against the table of allowed layers.
layers:
	@sh scripts/layers.sh

check: deps
	@$(MAKE) --no-print-directory check-only

check-only: $(TOOL_BINS) $(TEST_BINS)
	@sh tests/run.sh $(BUILD)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" check-only

fuzz: deps
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

valgrind: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/valgrind.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(BUILD)

$(BUILD)/bench/calibrate: $(BUILD)/bench/calibrate.o $(BUILD)/libobl.a $(BUILD)/libstats.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# False alarms (A/A) and power of the gate, per row and per metric across scenarios, on the
# real H100 runs of examples/gpu-h100 (printed, not asserted).
calibrate: $(TOOL_BINS) $(BUILD)/bench/calibrate $(BUILD)/tests/test_history
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	$(BUILD)/bin/obl-ingest -q "$$d/a.db" examples/gpu-h100/baseline/*.json && \
	$(BUILD)/bin/obl-ingest -q "$$d/b.db" examples/gpu-h100/baseline-rerun/*.json && \
	$(BUILD)/bench/calibrate "$$d/a.db" "$$d/b.db"
	@echo
	@echo "== obl-history: change points on simulated histories (HISTORIES per case, fixed seeds)"
	@$(BUILD)/tests/test_history calibrate $(or $(HISTORIES),200)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1
	install -d $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/obl/templates
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5
	install -d $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 644 man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 644 templates/* $(DESTDIR)$(PREFIX)/share/obl/templates
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	for t in $(TOOLS); do \
		install -m 644 completions/obl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t; \
	done

# The C sources .clang-format describes.
FORMAT_SRC = libstats/*.[ch] libobl/*/*.[ch] tools/*.[ch] tests/*.[ch] bench/*.c

format:
	clang-format -i $(FORMAT_SRC)

# Fails, naming each file and line, where clang-format would change something.
format-check: deps
	@clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format: every file as .clang-format says"

clean:
	rm -rf build build-asan build-fuzz demo

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
