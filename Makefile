# gongji — the two commands a newcomer needs: `make demo` and `make check`.
# Both install missing Debian packages first (scripts/deps.sh; needs root or sudo).
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
DEMO_DB    ?= demo/gongji.db

.PHONY: all deps build check test asan demo clean

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

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@echo "make check: all tests passed (plain and ASan+UBSan)"

demo: deps build
	@scripts/demo.sh $(BUILD)/gongji $(DEMO_DB)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) demo
