#!/usr/bin/env bash
# Fuzzes response decoding + validation + scrubbing, and definition import, with cargo-fuzz
# (libFuzzer; needs a nightly toolchain). Each target runs RUNS executions (default 10 million),
# starting from the seeds in tests/fuzz/corpus/ and keeping what it learns in tests/fuzz/target/.
#   tests/fuzz/run.sh            # 10,000,000 executions per target
#   tests/fuzz/run.sh 20000      # the smoke the README's test command runs
#   tests/fuzz/run.sh 10000000 definition   # one target
# A crash stops the run with the failing input saved under tests/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
runs=${1:-10000000}
targets=${2:-response definition}
if ! cargo fuzz --version 2>/dev/null | grep -q '0.13'; then
  cargo install cargo-fuzz --version 0.13.2
fi
for target in $targets; do
  work=tests/fuzz/target/corpus/$target
  mkdir -p "$work"
  log=tests/fuzz/target/$target.log
  start=$(date +%s)
  if ! cargo +nightly fuzz run -O --fuzz-dir tests/fuzz "$target" "$work" "tests/fuzz/corpus/$target" -- \
      -runs="$runs" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $target failed: the input is under tests/fuzz/artifacts/$target/" >&2
    exit 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  echo "fuzz $target: $execs executions in $(( $(date +%s) - start )) s, no crash"
done
