#!/usr/bin/env bash
# Rebuilds dist/ from widget/: trunk in release with the size profile (wasm-release), wasm-bindgen
# 0.2.130 and wasm-opt -Oz from npm's binaryen (tests/tools.sh installs all three).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Registry paths end up in panic messages; make them the same on every machine so dist/ is reproducible.
export RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$(cd .. && pwd)=/pulse"
trunk build --release
# trunk's own page is only its build entry: pulse serves the demo page, and editors the loader.
rm -f ../dist/index.html
