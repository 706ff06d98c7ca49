#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build/fuzz, replays every saved input,
# then fuzzes each target for a bounded time. Exits non-zero on the first crash, leak, sanitizer
# report or broken invariant, naming the input that caused it.
#
#   FUZZ_SECONDS=60     fuzzing time per target (default 60)
#   FUZZ_RUNS=N         run N executions per target instead of a time bound
#   FUZZ_TARGETS="..."  only these targets (default: all four)
#
# Saved inputs: fuzz/crashes/<target>/ (every input that ever crashed a target, kept as a
# regression test) and fuzz/corpus/<target>/ (inputs the fuzzer found that reach new code).
# New inputs found by a run go to build/fuzz/work/<target>/, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang libclang-rt-14-dev
cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARTNERPOLICY_WERROR=ON -DPARTNERPOLICY_FUZZ=ON -DPARTNERPOLICY_BUILD_TESTS=OFF >/dev/null
all_targets=(fuzz_fixture fuzz_toml fuzz_can_request fuzz_policy_load)
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The seeds each target starts from: the bundled files of the kind it reads.
seed_files() {
  case "$1" in
    fuzz_fixture) find fixtures -name '*.json' ;;
    fuzz_toml) find policies fixtures -name '*.toml' ;;
    fuzz_can_request) ;;  # fuzz/corpus/fuzz_can_request holds the actions.toml examples
    fuzz_policy_load) find policies -name '*.lua' ;;
  esac
}
dictionary() {
  case "$1" in
    fuzz_fixture) echo fuzz/json.dict ;;
    fuzz_toml) echo fuzz/toml.dict ;;
    fuzz_can_request) echo fuzz/can_request.dict ;;
    fuzz_policy_load) echo fuzz/lua.dict ;;
  esac
}

mkdir -p build/fuzz/logs build/fuzz/artifacts
for target in "${targets[@]}"; do
  bin=build/fuzz/fuzz/$target log=build/fuzz/logs/$target.log
  # 1. Every saved input once, whole (a crash input may be longer than the fuzzing max_len).
  mapfile -t saved < <(find "fuzz/crashes/$target" "fuzz/corpus/$target" -type f 2>/dev/null | sort)
  echo "== $target: replaying ${#saved[@]} saved inputs (fuzz/crashes/$target, fuzz/corpus/$target)"
  if [ ${#saved[@]} -gt 0 ] &&
     ! printf '%s\n' "${saved[@]}" | xargs -d '\n' -n 500 "$bin" -runs=1 >"$log" 2>&1; then
    grep -v '^Running: \|^Executed ' "$log" | tail -n 40 >&2
    echo "$target: a saved input fails (the last 'Running:' line in $log names it)" >&2
    exit 1
  fi
  # 2. Fuzzing from the seeds and the saved corpus.
  seeds=build/fuzz/seeds/$target work=build/fuzz/work/$target
  rm -rf "$seeds"
  mkdir -p "$seeds" "$work" "fuzz/corpus/$target"
  seed_files "$target" | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr / _)"; done
  bound=(-max_total_time="${FUZZ_SECONDS:-60}")
  [ -n "${FUZZ_RUNS:-}" ] && bound=(-runs="$FUZZ_RUNS")
  echo "== $target: fuzzing (${bound[*]})"
  status=0
  "$bin" "${bound[@]}" -dict="$(dictionary "$target")" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$target-" \
    "$work" "$seeds" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  grep -E '^#[0-9]+\s+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
    "$log" || true
  if [ "$status" -ne 0 ]; then
    grep -v '^#[0-9]' "$log" | tail -n 60 >&2
    echo "$target: FAILED (exit $status); the input is in build/fuzz/artifacts/$target-*;" \
      "reproduce with $bin <that file>, then keep it in fuzz/crashes/$target/ (log: $log)" >&2
    exit 1
  fi
done
echo "fuzzing: ${targets[*]} passed"
