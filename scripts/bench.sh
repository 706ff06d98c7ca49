#!/usr/bin/env bash
# Builds partnerpolicy in Release (build/bench), generates the benchmark states (seeded, in
# build/bench/states), runs all four benchmarks and prints the tables of bench/README.md, each
# figure beside its target. Takes about ten minutes on 2 cores; run it on an idle machine.
#
#   BENCH_SIZES=1000,10000,100000   user counts of the generated states
#   extra arguments go to Google Benchmark, e.g. --benchmark_filter=decide
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DPARTNERPOLICY_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" --target partnerpolicy partnerpolicy_bench generate_states >&2
mkdir -p build/bench/results
build/bench/bench/partnerpolicy_bench --work-dir build/bench/states \
  --sizes "${BENCH_SIZES:-1000,10000,100000}" \
  --benchmark_out=build/bench/results/bench.json --benchmark_out_format=json "$@" >&2
/usr/bin/python3 bench/table.py build/bench/results/bench.json
