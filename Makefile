# libdrill -- see README.md. `make demo` and `make check` are all the set-up a
# fresh Debian 12 machine needs: both run `make deps` first.

VERSION_H := include/drill/version.h
MAJOR := $(shell sed -n 's/^\#define DRILL_VERSION_MAJOR \([0-9]*\)/\1/p' $(VERSION_H))
MINOR := $(shell sed -n 's/^\#define DRILL_VERSION_MINOR \([0-9]*\)/\1/p' $(VERSION_H))
PATCH := $(shell sed -n 's/^\#define DRILL_VERSION_PATCH \([0-9]*\)/\1/p' $(VERSION_H))
VERSION := $(MAJOR).$(MINOR).$(PATCH)

# GNU directory variables; DESTDIR is used only by install and uninstall
prefix ?= /usr/local
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
libdir ?= $(exec_prefix)/lib
includedir ?= $(prefix)/include
pkgconfigdir ?= $(libdir)/pkgconfig
datarootdir ?= $(prefix)/share
mandir ?= $(datarootdir)/man

CC ?= cc
BUILD ?= build
OPT ?= -O2
SANITIZE ?=
PKG_CONFIG ?= pkg-config
# a command to run each test binary under (valgrind, for one)
RUNNER ?=
# every test program runs under a timeout (seconds; coreutils timeout(1) kills
# its whole process group, children included): a hang fails, it never blocks
# 1: the suites' quick mode (see check-asan)
TEST_QUICK ?=
TEST_TIMEOUT ?= 300
TIMEOUT = timeout --kill-after=10 $(TEST_TIMEOUT)
TEST_TIMEOUT_VALGRIND ?= 900

# libpq: the PostgreSQL store (libdrill/store_pg.c), its headers only: the
# library is loaded when the first server store is opened (libdrill/libpq_dl.h,
# drillctl's server lock too); icu-uc: Unicode case folding of feed file
# names (libdrill/feed.c; libical links ICU already)
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libical sqlite3 uuid libpq icu-uc 2>/dev/null)
# linked by the programs that call libpq themselves: the tests and bench_pg
PQ_LIBS := $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null || echo -lpq)
# its headers by pg_config (libpq-dev), which a PKG_CONFIG_SYSROOT_DIR (a
# staged install's examples) does not move
PQ_CFLAGS := $(shell pg_config --includedir 2>/dev/null | sed 's/^/-I/')
# -ldl: dlopen (in libc itself since glibc 2.34; an empty library there)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs libical sqlite3 uuid icu-uc 2>/dev/null || echo -lical -lsqlite3 -luuid -licuuc) -ldl -pthread -lm
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g $(OPT) $(WARN) -Iinclude -Ilibdrill $(DEPS_CFLAGS) $(SANITIZE)
LIB_CFLAGS := $(BASE_CFLAGS) -fPIC -fvisibility=hidden
override CFLAGS_ALL = $(BASE_CFLAGS) $(CFLAGS)

LIB_SRC := $(wildcard libdrill/*.c)
LIB_OBJ := $(LIB_SRC:libdrill/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/holidays_cn.o
HEADERS := $(wildcard include/drill/*.h)
PRIV_HEADERS := $(wildcard libdrill/*.h)

SONAME := libdrill.so.$(MAJOR)
SHLIB := $(BUILD)/libdrill.so.$(VERSION)
STLIB := $(BUILD)/libdrill.a
TOOLS := $(BUILD)/drillctl
# drillctl: a folder, a file per command group and a small common part
DRILLCTL_SRC := $(wildcard tools/drillctl/*.c)
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
FUZZERS := $(patsubst fuzz/%.c,build-fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 30

# Debian packages the build, the tests and the demo need
DEB_PACKAGES := gcc make libc6-dev pkg-config libical-dev libicu-dev uuid-dev libcmocka-dev swig python3-dev \
	libsqlite3-dev tzdata valgrind clang libclang-rt-14-dev binutils python3-icalendar nodejs groff-base \
	abigail-tools libpq-dev postgresql locales python3-lunardate python3-pandas python3-matplotlib python3-setuptools python3-pip \
	python3-wheel mypy

# the locales make check runs the suites under besides the default one: the
# library must not depend on LC_CTYPE (tr_TR's i/I) or LC_NUMERIC (de_DE's comma)
TEST_LOCALES := tr_TR.UTF-8 de_DE.UTF-8

.PHONY: all deps lib tools test test-pg check check-locales check-asan check-valgrind check-symbols check-abi abi-update check-install \
	demo install uninstall fuzz bench clean check-feeds python install-python uninstall-python check-python check-python-valgrind check-readme \
	check-chain-suites check-chain-locales check-chain-abi check-chain-python \
	print-py-site check-python-pkgconfig

all: lib tools

lib: $(SHLIB) $(BUILD)/$(SONAME) $(BUILD)/libdrill.so $(STLIB) $(BUILD)/libdrill.pc

tools: $(TOOLS)

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi; \
	if ! command -v npm >/dev/null; then \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm; \
	fi
	@for l in $(TEST_LOCALES); do \
	  norm=$$(echo "$$l" | sed 's/UTF-8$$/utf8/'); \
	  locale -a 2>/dev/null | grep -qx "$$norm" && continue; \
	  echo "make deps: generating the locale $$l"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  grep -q "^$$l UTF-8" /etc/locale.gen 2>/dev/null || echo "$$l UTF-8" | $$SUDO tee -a /etc/locale.gen >/dev/null; \
	  $$SUDO locale-gen >/dev/null || exit 1; \
	done

$(BUILD)/obj/%.o: libdrill/%.c $(HEADERS) $(PRIV_HEADERS) | $(BUILD)/obj
	$(CC) $(LIB_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/holidays_cn.o: libdrill/holidays_cn.S data/holidays-cn.csv | $(BUILD)/obj
	$(CC) $(SANITIZE) -fPIC -DHOLIDAYS_CN_CSV='"$(abspath data/holidays-cn.csv)"' -c $< -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# exports through the linker version script libdrill/libdrill.map (node LIBDRILL_$(MAJOR))
VERSION_SCRIPT := libdrill/libdrill.map
$(SHLIB): $(LIB_OBJ) $(VERSION_SCRIPT)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -Wl,--version-script,$(VERSION_SCRIPT) $(SANITIZE) \
	  -o $@ $(LIB_OBJ) $(DEPS_LIBS) $(LDFLAGS)

$(BUILD)/$(SONAME) $(BUILD)/libdrill.so: $(SHLIB)
	ln -sf libdrill.so.$(VERSION) $@

$(STLIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/libdrill.pc: pkgconfig/libdrill.pc.in $(VERSION_H) | $(BUILD)/obj
	sed -e 's|@prefix@|$(prefix)|' -e 's|@libdir@|$(libdir)|' -e 's|@includedir@|$(includedir)|' \
	    -e 's|@version@|$(VERSION)|' $< > $@

# tools link the shared library, through the public API only (and run with its SONAME link)
$(BUILD)/drillctl: $(DRILLCTL_SRC) tools/drillctl/drillctl.h libdrill/libpq_dl.h $(HEADERS) $(SHLIB) $(BUILD)/libdrill.so \
  $(BUILD)/$(SONAME)
	$(CC) $(CFLAGS_ALL) $(PQ_CFLAGS) -Wl,-rpath,'$$ORIGIN' -o $@ $(DRILLCTL_SRC) -L$(BUILD) -ldrill -ldl $(LDFLAGS)

# The Python binding: SWIG wraps the public headers as drill.capi (with
# docstrings from their comments), linked with the static library so the
# extension stands alone; bindings/python/drill/ is the pure-Python layer.
# In the tree, `make python` then `PYTHONPATH=build/python python3`. The
# interpreter is Debian's, whose pandas, matplotlib, setuptools and pip
# `make deps` installs; the extension is named for the interpreter's ABI,
# so another PYTHON builds (and installs) its own.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
PY_DIR := $(BUILD)/python
PY_PKG := $(PY_DIR)/drill
PY_EXT_SUFFIX = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_CFLAGS = $(shell $(PYTHON) -c 'import sysconfig; print("-I" + sysconfig.get_paths()["include"])')
# site-packages under $(prefix) (dist-packages for Debian's interpreter, as its sys.path has it)
PY_SITE = $(shell $(PYTHON) -c 'import sysconfig as s; \
	p = s.get_paths("posix_prefix", vars={"base": "$(prefix)", "platbase": "$(prefix)"})["platlib"]; \
	print(p.replace("site-packages", "dist-packages") if s.get_paths()["platlib"].endswith("dist-packages") else p)')
PY_SOURCES := $(wildcard bindings/python/drill/*.py bindings/python/drill/*.pyi) bindings/python/drill/py.typed
PY_CAPI = $(PY_PKG)/_capi$(PY_EXT_SUFFIX)

python: $(PY_CAPI) $(PY_SOURCES:bindings/python/drill/%=$(PY_PKG)/%)
	@echo "python: the drill package is in $(PY_DIR); use it with PYTHONPATH=$(abspath $(PY_DIR))"

$(PY_DIR)/drill_wrap.c: bindings/python/drill.i $(HEADERS)
	@mkdir -p $(PY_PKG)
	swig -python -doxygen -Iinclude -outdir $(PY_PKG) -o $@ $<

$(PY_CAPI): $(PY_DIR)/drill_wrap.c $(STLIB)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -g $(OPT) -fPIC -shared -Iinclude $(PY_CFLAGS) $(SANITIZE) \
	  -Wall -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
	  -o $@ $(PY_DIR)/drill_wrap.c $(STLIB) $(DEPS_LIBS) $(LDFLAGS)

$(PY_PKG)/%: bindings/python/drill/%
	@mkdir -p $(PY_PKG)
	cp $< $@

# `pip install` of the tree (pyproject.toml, setup.py) into $(prefix)'s
# site-packages, under DESTDIR when given, with the metadata pip lists and
# uninstalls; the extension links this tree's static library
PIP_FLAGS := --no-build-isolation --no-deps --no-index --upgrade --disable-pip-version-check --no-warn-script-location
install-python: $(STLIB)
	PIP_ROOT_USER_ACTION=ignore LIBDRILL_STATIC=$(abspath $(STLIB)) $(PYTHON) -m pip install -q $(PIP_FLAGS) --target="$(DESTDIR)$(PY_SITE)" .

# pip's own uninstall of that directory's libdrill (Debian's pip wants
# --break-system-packages for any uninstall); only if it is there
uninstall-python:
	@if ls -d "$(DESTDIR)$(PY_SITE)"/libdrill-*.dist-info >/dev/null 2>&1; then \
	  brk=$$($(PYTHON) -m pip uninstall --help | grep -q -- --break-system-packages && echo --break-system-packages); \
	  PIP_ROOT_USER_ACTION=ignore PYTHONPATH="$(DESTDIR)$(PY_SITE)" $(PYTHON) -m pip uninstall -q -y $$brk libdrill; \
	else echo "uninstall-python: libdrill is not installed in $(DESTDIR)$(PY_SITE)"; fi

# every command and code sample of the README, run in order (tests/readme_check.py)
check-readme: all python
	$(TIMEOUT) $(PYTHON) tests/readme_check.py README.md $(BUILD) $(PYTHON)

# the Python tests (unittest) on the just-built module, the examples (the
# walk-through draws its charts with matplotlib), `mypy --strict` on the
# package, the examples and the typed tests, and the package installed by
# pip into a staged DESTDIR and prefix, imported, listed and uninstalled
check-python: python
	cd tests/python && PYTHONPATH=$(abspath $(PY_DIR)) DRILL_TEST_DATA=$(abspath tests/data) \
	  $(TIMEOUT) $(PYTHON) -m unittest -v 2>&1
	PYTHONPATH=$(abspath $(PY_DIR)) $(TIMEOUT) $(PYTHON) examples/python/analyst.py $(BUILD)/analyst >/dev/null
	@if $(PYTHON) -c 'import pandas, matplotlib' 2>/dev/null; then \
	  PYTHONPATH=$(abspath $(PY_DIR)) $(TIMEOUT) $(PYTHON) -W "ignore:Glyph:UserWarning" examples/python/walkthrough.py "" \
	    $(BUILD)/walkthrough >/dev/null && \
	  for f in load coverage-by-district coverage-by-class campaigns; do \
	    head -c 8 $(BUILD)/walkthrough/$$f.png | od -An -c | grep -q 'P   N   G' || { echo "no $$f.png"; exit 1; }; done && \
	  echo "check-python: examples/python/analyst.py and walkthrough.py ran (charts in $(BUILD)/walkthrough)"; \
	else echo "check-python: walkthrough.py skipped: $(PYTHON) has no pandas or matplotlib (make deps installs Debian's)"; fi
	MYPYPATH=$(abspath $(PY_DIR)) mypy --strict --no-incremental -p drill
	MYPYPATH=$(abspath $(PY_DIR)) mypy --strict --no-incremental examples/python tests/python/test_analysis.py
	cd tests/python && PYTHONPATH=$(abspath $(PY_DIR)) timeout $(PG_TEST_TIMEOUT) sh ../pg_env.sh \
	  $(PYTHON) -m unittest -v test_store_pg 2>&1
	@stage=$$(mktemp -d); trap 'rm -rf "$$stage"' EXIT; \
	$(MAKE) --no-print-directory install-python DESTDIR="$$stage" prefix=/opt/drill >/dev/null && \
	site=$$($(MAKE) --no-print-directory -s print-py-site prefix=/opt/drill) && \
	case "$$site" in /opt/drill/*) ;; *) echo "install-python ignored prefix: $$site"; exit 1;; esac && \
	cd / && PYTHONPATH="$$stage$$site" $(PYTHON) -c 'import drill, sys; \
	  assert drill.__file__.startswith(sys.argv[1]), drill.__file__; print("check-python: installed", drill.version())' "$$stage" && \
	PYTHONPATH="$$stage$$site" $(PYTHON) -m pip list 2>/dev/null | grep -q '^libdrill ' && \
	$(MAKE) --no-print-directory -C $(CURDIR) uninstall-python DESTDIR="$$stage" prefix=/opt/drill >/dev/null && \
	test ! -e "$$stage$$site/drill" && echo "check-python: pip lists it, uninstall-python removes it"
	@$(MAKE) --no-print-directory check-python-pkgconfig

# `pip install .` against the libdrill pkg-config finds: this tree's shared
# library, described by a .pc file as an installed one would be
check-python-pkgconfig: lib
	@stage=$$(mktemp -d); trap 'rm -rf "$$stage"' EXIT; mkdir "$$stage/pc" && \
	printf '%s\n' "prefix=$(CURDIR)" 'libdir=$${prefix}/$(BUILD)' 'includedir=$${prefix}/include' \
	  'Name: libdrill' 'Description: this tree' 'Version: $(VERSION)' 'Requires.private: libical sqlite3 uuid' \
	  'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -ldrill' >"$$stage/pc/libdrill.pc" && \
	PKG_CONFIG_PATH="$$stage/pc" PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install -q $(PIP_FLAGS) \
	  --target="$$stage/site" . && \
	ldd "$$stage"/site/drill/_capi*.so | grep -q '$(abspath $(BUILD))/$(SONAME)' && \
	cd / && PYTHONPATH="$$stage/site" $(PYTHON) -c 'import drill; u = drill.Units(); u.generate(count=5); \
	  assert len(drill.Plan(u, drill.Rules(), year=2026)) > 0' && \
	echo "check-python: pip install . builds against the libdrill pkg-config finds ($(SONAME))"

print-py-site:
	@echo $(PY_SITE)

# the Python tests under valgrind with Debian's interpreter (built to run
# under it: PYTHONMALLOC=malloc lets memcheck see every allocation); any
# memory error or definite leak fails. Skipped when that interpreter cannot
# load the module built for $(PYTHON) (another ABI). pandas and matplotlib
# stay out (DRILL_PY_NO_OPTIONAL): importing them leaves blocks the
# interpreter never frees; the C arrays DataFrames are made of are tested
# without them. tests/python/valgrind.supp names the one leak of SWIG's own
# runtime (its module teardown), nothing of libdrill's.
VALGRIND_PYTHON ?= /usr/bin/python3
check-python-valgrind: python
	@if [ "$$($(VALGRIND_PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)" \
	      != "$(PY_EXT_SUFFIX)" ]; then \
	  echo "check-python-valgrind: skipped, $(VALGRIND_PYTHON) cannot load a $(PY_EXT_SUFFIX) module"; exit 0; fi; \
	cd tests/python && PYTHONMALLOC=malloc DRILL_PY_CHURN=3000 DRILL_PY_NO_OPTIONAL=1 PYTHONPATH=$(abspath $(PY_DIR)) \
	  DRILL_TEST_DATA=$(abspath tests/data) timeout --kill-after=10 $(TEST_TIMEOUT_VALGRIND) valgrind -q --error-exitcode=99 --suppressions=valgrind.supp --leak-check=full \
	  --show-leak-kinds=definite --errors-for-leak-kinds=definite $(VALGRIND_PYTHON) -m unittest 2>&1 && \
	echo "check-python-valgrind: no memory error, no definite leak"

# tests link the static library: they also test private modules (csv.c)
$(BUILD)/tests/%: tests/%.c tests/testutil.h $(STLIB) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests -pthread -o $@ $< $(STLIB) $(DEPS_LIBS) -lcmocka $(LDFLAGS) $(TEST_LDFLAGS_$*)


# test_nomem fails libdrill's allocations one by one
TEST_LDFLAGS_test_nomem := -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
# test_vec and test_map fail the growable array's and the map's allocations
TEST_LDFLAGS_test_vec := -Wl,--wrap=realloc
TEST_LDFLAGS_test_map := -Wl,--wrap=malloc -Wl,--wrap=calloc
# the store suites reach the test server with libpq themselves too
TEST_LDFLAGS_test_store := $(PQ_LIBS)
TEST_LDFLAGS_test_concurrency := $(PQ_LIBS)

FEED_DIR := $(BUILD)/test-feeds
# the cmocka suites, then drillctl's (tests/test_cli.sh) under the same RUNNER
test: $(TESTS) $(TOOLS)
	@rm -rf $(FEED_DIR); mkdir -p $(FEED_DIR); failed=0; for t in $(TESTS); do \
	  echo "== $$t"; \
	  DRILL_TEST_DATA=tests/data DRILL_FEED_DIR=$(abspath $(FEED_DIR)) DRILLCTL=$(abspath $(BUILD)/drillctl) \
	  DRILL_TEST_QUICK=$(TEST_QUICK) \
	    $(TIMEOUT) $(RUNNER) $$t; rc=$$?; \
	  if [ $$rc -eq 124 ] || [ $$rc -eq 137 ]; then echo "$$t: TIMED OUT after $(TEST_TIMEOUT)s"; fi; \
	  [ $$rc -eq 0 ] || failed=1; \
	done; \
	for s in tests/test_cli.sh tests/test_cli_store.sh; do \
	  echo "== $$s"; \
	  DRILLCTL=$(BUILD)/drillctl RUNNER="$(RUNNER)" $(TIMEOUT) sh $$s; rc=$$?; \
	  if [ $$rc -eq 124 ] || [ $$rc -eq 137 ]; then echo "$$s: TIMED OUT after $(TEST_TIMEOUT)s"; fi; \
	  [ $$rc -eq 0 ] || failed=1; \
	done; \
	[ -n "$(SKIP_PG)" ] || $(MAKE) --no-print-directory test-pg || failed=1; \
	exit $$failed

# the store suite and drillctl's server part on PostgreSQL, beside a throwaway
# server (tests/pg_env.sh: SKIP when none can be started, a failure under CI=true)
PG_TEST_TIMEOUT ?= 1800
test-pg: $(BUILD)/tests/test_store $(BUILD)/tests/test_concurrency $(TOOLS)
	@echo "== PostgreSQL: $(BUILD)/tests/test_store and test_concurrency postgresql, the server parts of tests/test_cli.sh and test_cli_store.sh"
	@DRILL_TEST_QUICK=$(TEST_QUICK) timeout $(PG_TEST_TIMEOUT) sh tests/pg_env.sh sh -c '$(RUNNER) $(BUILD)/tests/test_store postgresql && \
	  DRILLCTL=$(abspath $(BUILD)/drillctl) $(RUNNER) $(BUILD)/tests/test_concurrency postgresql && \
	  DRILL_CLI_PART=postgresql DRILLCTL=$(BUILD)/drillctl RUNNER="$(RUNNER)" sh tests/test_cli.sh && \
	  DRILL_CLI_PART=postgresql DRILLCTL=$(BUILD)/drillctl RUNNER="$(RUNNER)" sh tests/test_cli_store.sh'

# every feed the tests wrote, read again by python3-icalendar and by ical.js
# (pinned in tests/js/package-lock.json), each compared with what libical read
check-feeds:
	$(TIMEOUT) /usr/bin/python3 tests/validate_feeds.py $(FEED_DIR)
	cd tests/js && npm ci --no-audit --no-fund --silent
	$(TIMEOUT) node tests/js/validate_feeds.mjs $(FEED_DIR)

# the cmocka suites and drillctl's again under each of TEST_LOCALES (the test
# programs and drillctl call setlocale(LC_ALL, "")); a missing locale fails
check-locales: $(TESTS) $(TOOLS)
	@for l in $(TEST_LOCALES); do \
	  norm=$$(echo "$$l" | sed 's/UTF-8$$/utf8/'); \
	  locale -a 2>/dev/null | grep -qx "$$norm" || { echo "check-locales: $$l is not installed: run make deps"; exit 1; }; \
	  echo "== LC_ALL=$$l"; \
	  LC_ALL=$$l $(MAKE) --no-print-directory TEST_QUICK=1 test || { echo "check-locales: failed under $$l"; exit 1; }; \
	done

# the suites again under ASan+UBSan and under valgrind, each in its own
# build folder, in quick mode (DRILL_TEST_QUICK: the cases repeated many
# times, or planned on a whole city, take fewer rounds or a smaller city;
# make test ran them full size); the PostgreSQL suites run in make test and
# under ASan, not again under valgrind (SKIP_PG)
check-asan:
	$(MAKE) BUILD=build-asan OPT=-O1 TEST_QUICK=1 \
	  SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

check-valgrind:
	$(MAKE) BUILD=build-valgrind OPT=-O1 TEST_QUICK=1 SKIP_PG=1 TEST_TIMEOUT=$(TEST_TIMEOUT_VALGRIND) \
	  RUNNER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible" test

# every exported symbol carries the drill_ prefix
check-symbols: $(SHLIB)
	@bad=$$(nm -D --defined-only $(SHLIB) | awk '$$2 ~ /[TDBRVW]/ {print $$3}' | grep -v '^drill_' || true); \
	if [ -n "$$bad" ]; then echo "exported without the drill_ prefix:"; echo "$$bad"; exit 1; fi; \
	echo "check-symbols: $$(nm -D --defined-only $(SHLIB) | grep -c ' T drill_') exported functions, all drill_"

# the ABI against the baseline abi/libdrill.abi (abidw/abidiff, abigail-tools):
# tests/check_abi.sh says what fails. After an intended change (new functions,
# a versioned struct grown at its end): make abi-update, and a CHANGELOG.md
# entry in the same commit.
ABI_BASELINE := abi/libdrill.abi
ABIDW_FLAGS := --headers-dir include/drill --drop-private-types --drop-undefined-syms --no-corpus-path \
	--no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash
check-abi: $(SHLIB)
	@sh tests/check_abi.sh $(ABI_BASELINE) $(SHLIB) include/drill $(MAJOR) $(BUILD)/libdrill.abi

abi-update: $(SHLIB)
	@mkdir -p $(dir $(ABI_BASELINE))
	abidw $(ABIDW_FLAGS) --out-file $(ABI_BASELINE) $(SHLIB)
	@echo "abi-update: wrote $(ABI_BASELINE); describe the ABI change in CHANGELOG.md and commit both together"

# install into a temporary DESTDIR, check the .pc, build examples/ with pkg-config alone, run them
check-install: all
	@stage=$$(mktemp -d); trap 'rm -rf "$$stage"' EXIT; \
	$(MAKE) --no-print-directory install DESTDIR="$$stage" prefix=/usr/local >/dev/null && \
	pc="$$stage/usr/local/lib/pkgconfig/libdrill.pc"; \
	if grep -q "$$stage" "$$pc"; then echo "libdrill.pc contains DESTDIR"; exit 1; fi; \
	for ex in examples/*.c; do \
	  out="$$stage/$$(basename $$ex .c)"; \
	  PKG_CONFIG_PATH="$$stage/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$$stage" \
	    sh -c "$(CC) -std=c11 -Wall -Werror $$ex -o $$out \$$($(PKG_CONFIG) --cflags --libs libdrill)" || exit 1; \
	  LD_LIBRARY_PATH="$$stage/usr/local/lib" "$$out" >/dev/null || { echo "$$ex failed"; exit 1; }; \
	  echo "check-install: $$ex built with pkg-config against the staged install and ran"; \
	done; \
	LD_LIBRARY_PATH="$$stage/usr/local/lib" "$$stage/usr/local/bin/drillctl" --version >/dev/null || \
	  { echo "the installed drillctl does not run"; exit 1; }; \
	man="$$stage/usr/local/share/man/man1/drillctl.1"; \
	warn=$$(groff -man -ww -z "$$man" 2>&1) && [ -z "$$warn" ] || { echo "drillctl.1: $$warn"; exit 1; }; \
	echo "check-install: drillctl runs, drillctl(1) is installed and formats without warnings"; \
	$(MAKE) --no-print-directory uninstall DESTDIR="$$stage" prefix=/usr/local >/dev/null; \
	left=$$(find "$$stage/usr" -type f -o -type l | head -5); \
	if [ -n "$$left" ]; then echo "uninstall left files: $$left"; exit 1; fi

# benchmarks print figures against the targets; they never fail on time
BENCH_UNITS ?= 1000000
$(BUILD)/bench/%: bench/%.c bench/bench_util.h $(STLIB) $(HEADERS)
	@mkdir -p $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(STLIB) $(DEPS_LIBS) -lm $(LDFLAGS) $(BENCH_LDFLAGS_$*)
# bench_pg drives the server with libpq itself too (its pgbench set-up)
BENCH_LDFLAGS_bench_pg := $(PQ_LIBS)

bench: deps
	$(MAKE) $(BUILD)/bench/bench_plan $(BUILD)/bench/bench_store $(BUILD)/bench/bench_feed \
	  $(BUILD)/bench/bench_sor $(BUILD)/bench/bench_python_c $(BUILD)/bench/bench_pg $(TOOLS) python
	$(BUILD)/bench/bench_plan $(BENCH_UNITS)
	@echo
	$(BUILD)/bench/bench_store $(BUILD)/bench
	@echo
	$(BUILD)/bench/bench_sor $(BUILD)/bench $(abspath $(BUILD)/drillctl)
	@echo
	$(BUILD)/bench/bench_feed $(BUILD)/bench
	@echo
	PYTHONPATH=$(abspath $(PY_DIR)) $(PYTHON) bench/bench_python.py $(BUILD)
	@echo
	sh tests/pg_env.sh $(BUILD)/bench/bench_pg $(BUILD)/bench

# make check builds everything first, then runs six independent chains of
# checks two at a time (the machine's two cores), each chain's output
# printed whole when it ends: valgrind (the longest, so first: the others
# share the other core meanwhile), the suites (then the feeds they wrote
# read by other parsers), the suites under two more locales, the exported
# symbols, ABI and install, the Python checks and the README, ASan
check: deps
	$(MAKE) -j2 all $(TESTS) python
	$(MAKE) -j2 --output-sync=target check-valgrind check-chain-suites check-chain-locales check-chain-abi \
	  check-chain-python check-asan
	@echo "make check: all passed"

check-chain-suites:
	$(MAKE) test
	$(MAKE) check-feeds
check-chain-locales:
	$(MAKE) FEED_DIR=$(BUILD)/test-feeds-locales check-locales
check-chain-abi:
	$(MAKE) check-symbols
	$(MAKE) check-abi
	$(MAKE) check-install
check-chain-python:
	$(MAKE) check-python
	$(MAKE) check-python-valgrind
	$(MAKE) check-readme

# the main job with drillctl on a store (tools/demo.sh): Dalian's 20,737 units,
# next year planned, feeds, five months of drills recorded, coverage and overdue
NEXT_YEAR := $(shell echo $$(( $$(date +%Y) + 1 )))
demo: deps
	$(MAKE) all
	@BUILD=$(BUILD) YEAR=$(NEXT_YEAR) sh tools/demo.sh

install: all
	install -d $(DESTDIR)$(libdir) $(DESTDIR)$(includedir)/drill $(DESTDIR)$(pkgconfigdir) $(DESTDIR)$(bindir) \
	  $(DESTDIR)$(mandir)/man1
	install -m 644 $(HEADERS) $(DESTDIR)$(includedir)/drill/
	install -m 755 $(SHLIB) $(DESTDIR)$(libdir)/
	ln -sf libdrill.so.$(VERSION) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf libdrill.so.$(VERSION) $(DESTDIR)$(libdir)/libdrill.so
	install -m 644 $(STLIB) $(DESTDIR)$(libdir)/
	install -m 644 $(BUILD)/libdrill.pc $(DESTDIR)$(pkgconfigdir)/
	$(CC) $(CFLAGS_ALL) $(PQ_CFLAGS) -Wl,-rpath,$(libdir) -o $(DESTDIR)$(bindir)/drillctl $(DRILLCTL_SRC) -L$(BUILD) -ldrill -ldl
	install -m 644 tools/drillctl.1 $(DESTDIR)$(mandir)/man1/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(includedir)/drill/,$(notdir $(HEADERS)))
	-rmdir $(DESTDIR)$(includedir)/drill 2>/dev/null
	rm -f $(DESTDIR)$(libdir)/libdrill.so.$(VERSION) $(DESTDIR)$(libdir)/$(SONAME) \
	      $(DESTDIR)$(libdir)/libdrill.so $(DESTDIR)$(libdir)/libdrill.a \
	      $(DESTDIR)$(pkgconfigdir)/libdrill.pc $(DESTDIR)$(bindir)/drillctl $(DESTDIR)$(mandir)/man1/drillctl.1

# libFuzzer targets, each run for FUZZ_SECONDS on a copy of its seed corpus
# (build-fuzz/corpus/NAME, kept between runs; `make clean` drops it). A crash,
# leak, UB, timeout or out-of-memory fails the run; the input that caused it is
# written under build-fuzz/artifacts/NAME/ and the fuzzer's output to
# build-fuzz/NAME.log. FUZZ_FLAGS passes more libFuzzer flags.
build-fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) $(LIB_SRC) $(HEADERS) $(PRIV_HEADERS) libdrill/holidays_cn.S data/holidays-cn.csv
	@mkdir -p build-fuzz
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Wall -Wextra -Iinclude -Ilibdrill $(DEPS_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	  -DHOLIDAYS_CN_CSV='"$(abspath data/holidays-cn.csv)"' \
	  -o $@ $< $(LIB_SRC) libdrill/holidays_cn.S $(DEPS_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZERS)
	@failed=""; for f in $(FUZZERS); do \
	  name=$${f#build-fuzz/}; corpus=build-fuzz/corpus/$$name; art=build-fuzz/artifacts/$$name/; \
	  log=build-fuzz/$$name.log; dict=""; \
	  mkdir -p $$corpus $$art; \
	  if [ -d fuzz/corpus/$$name ]; then cp fuzz/corpus/$$name/* $$corpus/ || exit 1; fi; \
	  if [ -f fuzz/$$name.dict ]; then dict=-dict=fuzz/$$name.dict; fi; \
	  echo "== $$name: $(FUZZ_SECONDS)s on $$corpus ($$(ls $$corpus | wc -l) inputs)"; \
	  UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1} \
	    $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 -artifact_prefix=$$art \
	    $$dict $(FUZZ_FLAGS) $$corpus >$$log 2>&1; rc=$$?; \
	  grep -a -E '^#[0-9]+[[:space:]]+DONE' $$log | tail -1 | sed 's/^/   /'; \
	  awk '/^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb):/ \
	    { sub(/^stat::/, ""); printf "   %s\n", $$0 }' $$log; \
	  grep -a -E '^UNDOCUMENTED:' $$log | sed 's/^/   /'; \
	  if [ $$rc -ne 0 ]; then \
	    failed="$$failed $$name"; \
	    echo "   FAILED (exit $$rc), full output in $$log:"; \
	    grep -a -E 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant failed|^SUMMARY:|Test unit written to|ALARM|out-of-memory' $$log \
	      | head -8 | sed 's/^/   /'; \
	  else echo "   ok"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: FAILED:$$failed"; exit 1; fi; \
	echo "make fuzz: no crash in $(words $(FUZZERS)) fuzzers, $(FUZZ_SECONDS)s each"

clean:
	rm -rf build build-asan build-valgrind build-fuzz
