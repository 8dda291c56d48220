# Thin wrapper around CMake. The two commands a newcomer needs:
#   make demo   install missing packages, build, import fixtures/, search, export CSV
#   make test   build and run the whole test suite (ctest)
BUILD ?= build
DEMO_DB ?= $(BUILD)/demo.db
DEMO_CSV ?= $(BUILD)/demo.csv
KHOTIN = $(BUILD)/khotin
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build deps demo test asan bench fuzz clean

all: build

deps:
	@bash scripts/deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo "== import fixtures/ into $(DEMO_DB)"
	$(KHOTIN) --db $(DEMO_DB) import --quiet fixtures/articles
	@echo "== search: dang van lam  (finds Đặng Văn Lâm without typing diacritics)"
	$(KHOTIN) --db $(DEMO_DB) search "dang van lam" --limit 3
	@echo "== search: \"an ninh mang\""
	$(KHOTIN) --db $(DEMO_DB) search "an ninh mang" --limit 3
	@echo "== export CSV: $(DEMO_CSV)"
	$(KHOTIN) --db $(DEMO_DB) export --output $(DEMO_CSV) '"dong dat" OR "bong da"'
	@head -c 600 $(DEMO_CSV); echo

test: deps build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer + UBSan, in its own build folder.
asan:
	@bash scripts/deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKHOTIN_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# khotin against plain SQLite FTS5 (unicode61) over the same texts: import
# speed, size, memory, latency, recall (100,000 articles, several minutes).
# Quick run: make bench BENCH_ARGS="--articles 5000"
bench: build
	$(BUILD)/bench/khotin_bench $(BENCH_ARGS)

# libFuzzer targets (tests/fuzz/), each run FUZZ_SECONDS (60) seconds, in
# build-fuzz/ with clang. Quick run: make fuzz FUZZ_SECONDS=10
fuzz:
	@bash scripts/fuzz

clean:
	rm -rf $(BUILD) build-asan build-fuzz
