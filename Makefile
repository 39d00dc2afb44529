# staffplan: `make demo` and `make test` install what is missing, build and run.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BUILD ?= build
OUT ?= out
export PYTHONPATH := $(CURDIR)/bindings/python
export OMP_WAIT_POLICY := passive

.PHONY: all deps build ext cbuild ctest pytest test demo bench asan valgrind fuzz fuzz-corpus fuzz-problem fuzz-smoke clean

all: build

deps:
	@tools/bootstrap.sh

ext: deps
	@STAFFPLAN_WERROR=1 $(PY) setup.py -q build_ext --inplace >.build-ext.log 2>&1 \
	  || { cat .build-ext.log; exit 1; }
	@rm -f .build-ext.log

cbuild: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j 2 >$(BUILD)/make.log 2>&1 || { cat $(BUILD)/make.log; exit 1; }

build: ext cbuild

# Criterion suites, one binary per area.
ctest: cbuild
	@set -e; for t in $(BUILD)/test_*; do [ -x "$$t" ] && "$$t" --jobs 2; done

# pytest (the module, the benchmark smoke runs, the executed notebooks).
pytest: ext
	@$(PY) -m pytest -q -p no:cacheprovider

# Everything CI runs: the C suites, pytest, the same under ASan + UBSan,
# and a few seconds of fuzzing per target (valgrind is `make valgrind`).
test: ctest pytest asan fuzz-smoke

demo: ext
	@mkdir -p $(OUT)
	@$(PY) -m staffplan.demo --out $(OUT)

bench: ext
	@mkdir -p $(OUT)
	@$(PY) tests/bench/bench_requirements.py --json $(OUT)/bench-requirements.json
	@$(PY) tests/bench/bench_schedule.py --json $(OUT)/bench-schedule.json
	@$(PY) tests/bench/bench_curtois.py --json $(OUT)/bench-curtois.json
	@$(PY) tests/bench/bench_roster.py --json $(OUT)/bench-roster.json
	@$(PY) tests/bench/bench_limits.py --json $(OUT)/bench-limits.json

# The C tests and the Python tests under AddressSanitizer and UBSan.  The C
# suites run one test at a time: Criterion's runner, running several at
# once, leaves two small blocks of its own that LeakSanitizer reports.
asan: deps
	@cmake -S . -B build-asan -DSP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build build-asan -j 2 >build-asan/make.log 2>&1 || { cat build-asan/make.log; exit 1; }
	@set -e; for t in build-asan/test_*; do [ -x "$$t" ] && "$$t" --jobs 1; done
	@STAFFPLAN_SANITIZE=1 $(PY) setup.py -q build --build-base build-asan/py \
	  --build-lib build-asan/lib >build-asan/py.log 2>&1 || { cat build-asan/py.log; exit 1; }
	@PYTHONPATH=$(CURDIR)/build-asan/lib \
	  LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(PY) -m pytest -q -p no:cacheprovider tests/python -x -m "not slow"

# The C tests under valgrind memcheck: no errors, no leaks.  Then a
# selection of the Python suite (the binding, the GLPK guard, solves, rosters) under
# memcheck: PYTHONMALLOC=malloc so that every Python object is a malloc
# block memcheck sees; tests/valgrind-python.supp drops CPython's and
# glibc's own false reports only (leaks are the refcount tests' job).
# About 2-3 minutes on 2 cores.
VALGRIND_PYTEST ?= tests/python/test_hardening.py tests/python/test_schedule.py \
  tests/python/test_roster.py::test_cover_targets_roster \
  tests/python/test_roster.py::test_no_solution_names_agent_and_rule \
  -k "glpk or solves_after or leak or buffers or tiny or shrinkage or erlang_a or hand or uncoverable or over_staffing or forecast or progress_reports or cover_targets or no_solution_names"
valgrind: cbuild ext
	@set -e; for t in $(BUILD)/test_*; do [ -x "$$t" ] && \
	  valgrind -q --error-exitcode=1 --suppressions=tests/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	    --show-leak-kinds=definite,indirect,possible --trace-children=yes "$$t" --jobs 1; done
	@PYTHONMALLOC=malloc OMP_NUM_THREADS=2 valgrind -q --error-exitcode=1 --leak-check=no \
	  --suppressions=tests/valgrind.supp --suppressions=tests/valgrind-python.supp \
	  $(PY) -m pytest -q -p no:cacheprovider $(VALGRIND_PYTEST)

# libFuzzer (clang, installed on demand) with ASan + UBSan, FUZZ_SECONDS per
# target, seeded from fuzz/corpus/<target>; new inputs and any crash stay in
# build-fuzz/.  `make test` replays fuzz/corpus with gcc (test_hardening.py).
FUZZ_SECONDS ?= 20
fuzz:
	@fuzz/build.sh build-fuzz
	@set -e; for t in erlang requirements; do mkdir -p build-fuzz/corpus-$$t; \
	  echo "fuzz: $$t, $(FUZZ_SECONDS) s"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/ build-fuzz/corpus-$$t fuzz/corpus/$$t 2>build-fuzz/$$t.log \
	    || { tail -40 build-fuzz/$$t.log; ls build-fuzz/crash-* build-fuzz/timeout-* 2>/dev/null; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^Done" build-fuzz/$$t.log; done

# Atheris on the problem reader (Python level; atheris goes to build-fuzz/,
# not into the venv).  Its corpus is replayed by test_hardening.py.
fuzz-problem: ext
	@mkdir -p build-fuzz
	@[ -d build-fuzz/atheris ] || $(PY) -m pip install -q --disable-pip-version-check \
	  --target build-fuzz/atheris atheris >build-fuzz/pip.log 2>&1 \
	  || { cat build-fuzz/pip.log; rm -rf build-fuzz/atheris; exit 1; }
	@mkdir -p build-fuzz/corpus-problem
	@PYTHONPATH=$(CURDIR)/build-fuzz/atheris:$(PYTHONPATH) $(PY) fuzz/fuzz_problem.py \
	  -max_total_time=$(FUZZ_SECONDS) -timeout=10 -dict=fuzz/problem.dict \
	  -artifact_prefix=build-fuzz/ build-fuzz/corpus-problem fuzz/corpus/problem \
	  -print_final_stats=1 2>build-fuzz/problem.log \
	  || { tail -40 build-fuzz/problem.log; ls build-fuzz/crash-* build-fuzz/timeout-* 2>/dev/null; exit 1; }
	@grep -E "^Done|^stat::number_of_executed_units" build-fuzz/problem.log

# A short fuzz run for `make test`: every target (libFuzzer: erlang,
# requirements; Atheris: the problem reader) for FUZZ_SMOKE_SECONDS each,
# seeded from fuzz/corpus (loading the requirements corpus under ASan
# alone takes about 7 s of it), beyond the corpus replay of
# test_hardening.py.  New inputs stay in build-fuzz/corpus-<target>, any
# crash in build-fuzz/crash-* (and the run fails).
FUZZ_SMOKE_SECONDS ?= 15
fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz fuzz-problem FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# Minimises build-fuzz's corpora into fuzz/corpus (commit the result).
fuzz-corpus: fuzz
	@set -e; for t in erlang requirements; do \
	  build-fuzz/fuzz_$$t -merge=1 fuzz/corpus/$$t build-fuzz/corpus-$$t 2>/dev/null; \
	  echo "fuzz/corpus/$$t: $$(ls fuzz/corpus/$$t | wc -l) inputs"; done

clean:
	rm -rf $(BUILD) build-asan build-fuzz $(OUT) bindings/python/staffplan/*.so
