# gongji — the two commands a newcomer needs: `make demo` and `make check`.
# Both install missing Debian packages first (scripts/deps.sh; needs root or sudo).
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
DEMO_DB    ?= demo/gongji.db
DEMO_LISTEN ?= 127.0.0.1:8080
# seconds each fuzz target runs: make fuzz, and within make check
FUZZ_SECONDS       ?= 300
FUZZ_CHECK_SECONDS ?= 25

.PHONY: all deps build check test asan fuzz-build fuzz fuzz-check demo demo-stop clean

all: build

deps:
	@scripts/deps.sh

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGJ_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan:
	@cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DGJ_WERROR=ON -DGJ_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	@cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (clang, ASan + UBSan); clang warnings are shown, -Werror is the gcc builds' gate.
fuzz-build:
	@cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DGJ_FUZZ=ON -DGJ_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_targets

fuzz: deps fuzz-build
	@scripts/fuzz.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

fuzz-check: fuzz-build
	@scripts/fuzz.sh $(BUILD_FUZZ) $(FUZZ_CHECK_SECONDS)

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-check
	@echo "make check: all tests passed (plain and ASan+UBSan) and fuzzing found nothing"

# make demo: the demo database, then gongjid on it in the background (DEMO_LISTEN); make demo-stop
demo: deps build
	@scripts/demo-http.sh stop $(DEMO_DB)
	@scripts/demo.sh $(BUILD)/gongji $(DEMO_DB)
	@scripts/demo-http.sh start $(BUILD)/gongji $(BUILD)/gongjid $(DEMO_DB) $(DEMO_LISTEN)

demo-stop:
	@scripts/demo-http.sh stop $(DEMO_DB)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) demo
