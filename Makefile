# aiproj - track AI projects through their lifecycle.
#
#   make          build build/aiproj
#   make demo     build, then run a scripted lifecycle on a throwaway store
#   make check    build and run every test (unit, end-to-end), then again
#                 under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-pg the store's unit tests and the end-to-end suite again on a
#                 PostgreSQL store, and SQLite against PostgreSQL side by
#                 side (a throwaway cluster)
#   make install  PREFIX=/usr/local DESTDIR=
#
# Packages: `make deps`, `make demo` and `make check` install the missing
# Debian packages (scripts/deps.sh, as root with apt; otherwise it prints
# the exact install line).  Every other target only checks and says what is
# missing: a plain `make` never installs anything.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
CC      ?= cc
PKG     ?= pkg-config
VERSION := 0.1.0

# Recursive (=) so pkg-config runs after deps.sh has installed what it needs.
DEP_CFLAGS = $(shell $(PKG) --cflags sqlite3 yaml-0.1 libpq 2>/dev/null)
DEP_LIBS   = $(shell $(PKG) --libs sqlite3 yaml-0.1 2>/dev/null) -ldl
CMOCKA_CFLAGS = $(shell $(PKG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG) --libs cmocka 2>/dev/null)

WARN    = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CSTD    = -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -Iinclude -Ibuild/gen \
             -DAIPROJ_VERSION='"$(VERSION)"' $(DEP_CFLAGS) $(CFLAGS)
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer \
          -fno-sanitize-recover=all

# The layers: engine (pure C), yaml, store (the only SQLite and libpq code),
# CLI.
CORE_SRC   = src/error.c src/util.c src/lifecycle.c src/engine.c \
             src/engine_auth.c src/engine_flow.c src/engine_release.c \
             src/engine_check.c src/engine_buy.c
YAML_SRC   = src/yamlio.c src/yamlfast.c src/yamlout.c src/lifecycle_yaml.c
STORE_SRC  = src/store.c src/store_sql.c src/store_report.c src/store_records.c \
             src/store_feed.c src/store_flow.c \
             src/chain.c src/store_chain.c src/store_sqlite.c src/store_pg.c \
             src/store_pg_conn.c src/store_policy.c src/store_person.c \
             src/store_release.c src/store_copy.c src/store_pg_copy.c \
             src/store_export.c
OUT_SRC    = src/output.c src/portfolio.c src/portfolio_check.c \
             src/portfolio_rules.c src/portfolio_store.c src/html.c \
             src/portfolio_chain.c
CLI_SRC    = src/main.c src/cmdline.c src/cli.c src/cmdtable.c \
             src/cmdtable_derived.c src/cmdtable_types.c src/cmd_init.c \
             src/cmd_policy.c \
             src/cmd_project.c src/cmd_stage.c src/cmd_stage_check.c \
             src/cmd_gate.c src/cmd_log.c \
             src/cmd_kpi.c src/cmd_decide.c src/cmd_role.c \
             src/cmd_component.c src/cmd_report.c src/cmd_report_people.c \
             src/cmd_report_status.c \
             src/cmd_report_lifecycle.c src/cmd_report_page.c src/cmd_export.c \
             src/cmd_report_page_svg.c src/cmd_report_timeline.c \
             src/cmd_report_visits.c src/cmd_complete.c src/filter.c \
             src/cmd_report_page_load.c src/cmd_report_page_proj.c \
             src/cmd_verify.c src/cmd_member.c src/hooks.c src/cmd_hooks.c \
             src/cmd_events.c src/cmd_report_flow.c src/cmd_person.c \
             src/cmd_release.c src/cmd_copy.c
LIB_SRC    = $(CORE_SRC) $(YAML_SRC) $(STORE_SRC) $(OUT_SRC) build/gen/embedded.c
ALL_SRC    = $(LIB_SRC) $(CLI_SRC)
MIGRATIONS = $(sort $(wildcard schemas/[0-9][0-9][0-9]-*.sql))
PG_MIGRATIONS = $(sort $(wildcard schemas/pg/[0-9][0-9][0-9]-*.sql))
HEADERS    = $(wildcard include/aiproj/*.h) src/cli.h src/store_ops.h \
             src/store_pg.h src/cmd_report_page.h src/cmd_report_visits.h \
             src/portfolio_int.h

OBJ      = $(ALL_SRC:%.c=build/obj/%.o)
ASAN_OBJ = $(ALL_SRC:%.c=build/asan/obj/%.o)

.PHONY: all deps need-deps need-test-deps bench fuzz fuzz-yamlfast check-valgrind check-pg demo check unit unit-asan e2e e2e-asan \
        install uninstall clean lint format

all: build/aiproj

# Install everything any target needs (as root with apt).
deps:
	@sh scripts/deps.sh build test lint bench fuzz

# Check only (order-only prerequisites of the build and test rules).
need-deps:
	@sh scripts/deps.sh --check build

need-test-deps:
	@sh scripts/deps.sh --check build test

build/gen/embedded.c: scripts/embed.sh schemas/lifecycle.yaml $(MIGRATIONS) \
		$(PG_MIGRATIONS)
	@mkdir -p $(@D)
	sh scripts/embed.sh $@ schemas/lifecycle.yaml $(MIGRATIONS) \
		-- $(PG_MIGRATIONS)

# Header dependencies are tracked by the compiler (-MMD -MP: build/**/*.d).
build/obj/%.o: %.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

build/asan/obj/%.o: %.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN) -MMD -MP -c -o $@ $<

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d)

build/aiproj: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $(OBJ) $(DEP_LIBS) -lm

build/asan/aiproj: $(ASAN_OBJ)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $(ASAN_OBJ) $(DEP_LIBS) -lm

# Unit tests link only the layers they test: the engine's test has neither
# SQLite nor libyaml, so a store or YAML call in the engine breaks its build.
# $(1): output directory, $(2): extra flags (sanitizers).
define unit_rules
$(1)/test_engine: tests/unit/test_engine.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) | need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) \
		$$(CMOCKA_LIBS) -lm
$(1)/test_store: tests/unit/test_store.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) $$(STORE_SRC:%.c=$(1)/obj/%.o) \
		$(1)/obj/build/gen/embedded.o | need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) $$(CMOCKA_LIBS) \
		$$(DEP_LIBS) -lm
$(1)/test_yaml: tests/unit/test_yaml.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) $$(YAML_SRC:%.c=$(1)/obj/%.o) \
		$(1)/obj/src/chain.o $(1)/obj/src/portfolio_chain.o \
		$(1)/obj/build/gen/embedded.o | need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) $$(CMOCKA_LIBS) \
		$$(DEP_LIBS) -lm
# the export's YAML writer against libyaml's emitter
$(1)/test_yamlout: tests/unit/test_yamlout.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) $$(YAML_SRC:%.c=$(1)/obj/%.o) \
		| need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) $$(CMOCKA_LIBS) \
		$$(DEP_LIBS) -lm
# the fast YAML reader against libyaml (also: build/test_yamlfast FILE...)
$(1)/test_yamlfast: tests/unit/test_yamlfast.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) $$(YAML_SRC:%.c=$(1)/obj/%.o) \
		| need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) $$(CMOCKA_LIBS) \
		$$(DEP_LIBS) -lm
# the hook runner alone: no store, no YAML, no command line
$(1)/test_hooks: tests/unit/test_hooks.c tests/unit/testutil.h \
		$$(CORE_SRC:%.c=$(1)/obj/%.o) $(1)/obj/src/hooks.o | need-test-deps
	$$(CC) $$(CFLAGS_ALL) $(2) $$(CMOCKA_CFLAGS) -o $$@ $$(filter-out %.h,$$^) \
		$$(CMOCKA_LIBS) -lm
endef
$(eval $(call unit_rules,build,))
$(eval $(call unit_rules,build/asan,$(SAN)))

UNIT      = build/test_engine build/test_store build/test_yaml build/test_hooks \
            build/test_yamlout build/test_yamlfast
UNIT_ASAN = $(UNIT:build/%=build/asan/%)
SAN_ENV   = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The end-to-end runs under ASan+UBSan write every sanitizer report to a
# file of its own, and fail when any was written: a report from a command
# whose exit code or stderr a test did not check still fails the run.
SAN_LOGS  = $(CURDIR)/build/asan/logs
SAN_E2E_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(SAN_LOGS)/asan \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SAN_LOGS)/ubsan
# valgrind's reports from the end-to-end run, one file per process
VG_LOGS   = $(CURDIR)/build/vg-logs
san_logs_check = if [ -n "$$(ls -A $(SAN_LOGS) 2>/dev/null)" ]; then \
	echo "sanitizer reports in $(SAN_LOGS):"; cat $(SAN_LOGS)/*; exit 1; fi

demo:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory build/aiproj
	@sh scripts/demo.sh build/aiproj

unit: $(UNIT)
	@for t in $(UNIT); do echo "== $$t"; ./$$t || exit 1; done

unit-asan: $(UNIT_ASAN)
	@for t in $(UNIT_ASAN); do echo "== $$t (ASan+UBSan)"; \
		$(SAN_ENV) ./$$t || exit 1; done

e2e: build/aiproj | need-test-deps
	@AIPROJ=$(CURDIR)/build/aiproj sh tests/e2e/run.sh

e2e-asan: build/asan/aiproj | need-test-deps
	@echo "== end-to-end under ASan+UBSan"
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@$(SAN_E2E_ENV) AIPROJ=$(CURDIR)/build/asan/aiproj sh tests/e2e/run.sh; \
		rc=$$?; $(san_logs_check); exit $$rc

# valgrind memcheck: the unit tests, and the end-to-end files that walk the
# whole lifecycle, reports and import/export (about 5 minutes on 2 cores;
# run by .ci/run after `make check`).  Any error or definite leak fails.
VG_E2E = tests/e2e/t_smoke.sh tests/e2e/t_story.sh tests/e2e/t_report.sh
check-valgrind: build/aiproj $(UNIT) | need-test-deps
	@for t in $(UNIT); do echo "== $$t (valgrind)"; \
		AIPROJ_TEST_STRIDE=13 valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite ./$$t \
		|| exit 1; done
	@echo "== end-to-end under valgrind: $(VG_E2E)"
	@rm -rf $(VG_LOGS) && mkdir -p $(VG_LOGS)
	@AIPROJ_VG_LOGS=$(VG_LOGS) AIPROJ_VG_BIN=$(CURDIR)/build/aiproj \
	 AIPROJ=$(CURDIR)/tests/valgrind/aiproj-vg sh tests/e2e/run.sh $(VG_E2E); \
	 rc=$$?; find $(VG_LOGS) -type f -empty -delete; \
	 if [ -n "$$(ls -A $(VG_LOGS))" ]; then \
		echo "valgrind reports in $(VG_LOGS):"; cat $(VG_LOGS)/*; exit 1; fi; \
	 exit $$rc

check:
	@sh scripts/deps.sh build test
	@$(MAKE) --no-print-directory build/aiproj
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory unit-asan
	@$(MAKE) --no-print-directory e2e-asan
	@echo "make check: every suite passed"

# The store's unit tests, the end-to-end suite on a PostgreSQL store, then
# tests/pg/compare.sh, for the plain and the ASan+UBSan builds, on a
# throwaway cluster on a loopback port ($$AIPROJ_PG_URL: use that server
# instead).  Run by .ci/run.
check-pg: build/aiproj build/asan/aiproj build/test_store build/asan/test_store | need-test-deps
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@$(SAN_E2E_ENV) sh tests/pg/check.sh build/test_store build/asan/test_store \
		build/aiproj build/asan/aiproj; rc=$$?; $(san_logs_check); exit $$rc

# Latency and memory against baselines measured in the same run, SQLite and
# PostgreSQL side by side (about 5 minutes on 2 cores; the generated stores
# are cached in build/bench/).
bench: build/aiproj build/bench/floor
	@sh scripts/deps.sh --check build bench
	@sh tests/bench/bench.sh

# The import rows' floor: the same rows written by SQLite alone
# (tests/bench/floor.c).
build/bench/floor: tests/bench/floor.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(OPT) $(DEP_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(DEP_LIBS)

# A libFuzzer target over the import path (YAML reader, validation,
# canonical form): `make fuzz FUZZ_SECONDS=600`.  Needs clang.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS    = -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

build/fuzz/fuzz_import: tests/fuzz/fuzz_import.c $(LIB_SRC) $(HEADERS) | need-deps
	@sh scripts/deps.sh --check fuzz
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CSTD) -Iinclude -Ibuild/gen -DAIPROJ_VERSION='"$(VERSION)"' \
		$(DEP_CFLAGS) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_import.c $(LIB_SRC) \
		$(DEP_LIBS) -lm

fuzz: build/fuzz/fuzz_import
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		build/fuzz/fuzz_import -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-timeout=10 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
		build/fuzz/corpus tests/fuzz/corpus tests/fuzz/crashes

# The fast YAML reader against libyaml, differential (yamlfast.c):
# `make fuzz-yamlfast FUZZ_SECONDS=600`.  Needs clang.
build/fuzz/fuzz_yamlfast: tests/fuzz/fuzz_yamlfast.c $(LIB_SRC) $(HEADERS) | need-deps
	@sh scripts/deps.sh --check fuzz
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CSTD) -Iinclude -Ibuild/gen -DAIPROJ_VERSION='"$(VERSION)"' \
		$(DEP_CFLAGS) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_yamlfast.c $(LIB_SRC) \
		$(DEP_LIBS) -lm

fuzz-yamlfast: build/fuzz/fuzz_yamlfast
	@mkdir -p build/fuzz/corpus-yamlfast build/fuzz/artifacts
	@for f in tests/fuzz/corpus/*; do \
		printf '\000' | cat - "$$f" >"build/fuzz/corpus-yamlfast/seed-$${f##*/}"; \
	done
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		build/fuzz/fuzz_yamlfast -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-timeout=10 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
		build/fuzz/corpus-yamlfast

install: build/aiproj
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 build/aiproj $(DESTDIR)$(BINDIR)/aiproj
	install -m 0644 docs/aiproj.1 $(DESTDIR)$(MANDIR)/man1/aiproj.1
	install -m 0644 completions/aiproj.bash $(DESTDIR)$(BASHCOMPDIR)/aiproj
	install -m 0644 completions/_aiproj $(DESTDIR)$(ZSHCOMPDIR)/_aiproj
	install -m 0644 completions/aiproj.fish \
		$(DESTDIR)$(FISHCOMPDIR)/aiproj.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/aiproj $(DESTDIR)$(MANDIR)/man1/aiproj.1 \
		$(DESTDIR)$(BASHCOMPDIR)/aiproj $(DESTDIR)$(ZSHCOMPDIR)/_aiproj \
		$(DESTDIR)$(FISHCOMPDIR)/aiproj.fish

# cppcheck over the C sources and shellcheck over every shell script, each
# suppression with its reason (.cppcheck-suppressions, .shellcheckrc files),
# and the C sources formatted as .clang-format says (`make format`).
SH_SCRIPTS = scripts/*.sh tests/e2e/*.sh tests/pg/*.sh tests/bench/*.sh \
             tests/valgrind/aiproj-vg
lint:
	@sh scripts/deps.sh --check lint
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 -Iinclude -Isrc --suppress=missingIncludeSystem \
		--suppressions-list=.cppcheck-suppressions --inline-suppr src
	shellcheck -s sh $(SH_SCRIPTS)
	shellcheck -s bash .ci/run
	clang-format --dry-run -Werror $(FORMAT_SRC)

# The C sources as .clang-format says (src/width_table.h is generated).
FORMAT_SRC = $(filter-out src/width_table.h,$(wildcard src/*.c src/*.h \
             include/aiproj/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c \
             tests/bench/*.c))
format:
	clang-format -i $(FORMAT_SRC)

clean:
	rm -rf build
