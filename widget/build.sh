#!/usr/bin/env bash
# Rebuilds dist/ from widget/: trunk in release with the size profile (wasm-release) on a pinned
# nightly, wasm-bindgen 0.2.130, wasm-opt -Oz from npm's binaryen and esbuild from npm (tests/tools.sh
# installs them all).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The widget alone is built with a pinned nightly, for what stable cannot do yet: the standard library
# rebuilt for size with the widget (`build-std`, `optimize_for_size`), panics that abort without
# formatting a message or carrying its location (`immediate-abort`, `location-detail=none`), and
# `Debug` formatting compiled out (`fmt-debug=none`; nothing the widget shows is written with `{:?}`).
# Together about 14 kB less with brotli (BENCHMARKS.md). The pin keeps dist/ reproducible; the
# widget's code and its tests still build on stable. Legacy symbol names keep the glue's short.
export RUSTUP_TOOLCHAIN=nightly-2026-05-20
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# Its own target dir: the nightly's artefacts would otherwise evict stable's from target/.
export CARGO_TARGET_DIR="$(cd .. && pwd)/target/widget-dist"
# Paths end up in the wasm; make them the same on every machine so dist/ is reproducible.
export RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$(cd .. && pwd)=/pulse \
--remap-path-prefix=$(rustc --print sysroot)=/rust -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none \
-Zfmt-debug=none -Csymbol-mangling-version=legacy"
trunk build --release
# trunk's own page is only its build entry: pulse serves the demo page, and editors the loader.
rm -f ../dist/index.html
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types"
# Another round of wasm-opt until nothing more shrinks (trunk's single -Oz pass leaves about 1 kB).
# `--low-memory-unused`: Rust puts the stack below its data, from address 1 MiB down, so the first
# kilobyte is never addressed and constant offsets can fold into loads and stores (about 0.6 kB).
wasm-opt ../dist/pulse-widget_bg.wasm -Oz --converge --low-memory-unused --strip-producers $FEATURES \
  -o ../dist/pulse-widget_bg.wasm
# Imports and exports renamed to a letter or two, and the glue to match (short-names.mjs): about
# 2.8 kB less with brotli.
names=$(mktemp)
wasm-opt ../dist/pulse-widget_bg.wasm --minify-imports-and-exports-and-modules $FEATURES \
  -o ../dist/pulse-widget_bg.wasm > "$names"
node short-names.mjs "$names" ../dist/pulse-widget_bg.wasm ../dist/pulse-widget.js
rm -f "$names"
# The JavaScript minified (trunk's minifier fails on wasm-bindgen's glue): about 2 kB less with brotli.
for js in pulse-widget.js embed.js; do
  esbuild "../dist/$js" --minify --format=esm --log-level=warning --outfile="../dist/$js" --allow-overwrite
done
# The dashboard, built the same way into dist/dashboard/ (the server hashes its names). It shares
# crates with the widget but not the widget's files: the survey page never loads it. The survey
# editor is the same crate with its `editor` feature, into dist/editor/, and the reports (trend,
# heatmap, board pack, evidence pack) with its `report` feature, into dist/report/, so the
# dashboard's first view carries neither.
for app in "index.html dashboard" "editor.html editor" "report.html report"; do
  set -- $app
  (cd dashboard && trunk build "$1" --release --dist "../../dist/$2")
  rm -f "../dist/$2/index.html"
  wasm-opt "../dist/$2/pulse-dashboard_bg.wasm" -Oz --converge --strip-producers $FEATURES \
    -o "../dist/$2/pulse-dashboard_bg.wasm"
  # Short import and export names, as for the widget: about 2.4 kB less with brotli.
  names=$(mktemp)
  wasm-opt "../dist/$2/pulse-dashboard_bg.wasm" --minify-imports-and-exports-and-modules $FEATURES \
    -o "../dist/$2/pulse-dashboard_bg.wasm" > "$names"
  node short-names.mjs "$names" "../dist/$2/pulse-dashboard_bg.wasm" "../dist/$2/pulse-dashboard.js"
  rm -f "$names"
  for js in pulse-dashboard.js boot.js; do
    esbuild "../dist/$2/$js" --minify --format=esm --log-level=warning --outfile="../dist/$2/$js" --allow-overwrite
  done
  for css in ../dist/$2/*.css; do
    esbuild "$css" --minify --log-level=warning --outfile="$css" --allow-overwrite
  done
done
# The showcase and the results embed each bundle what they share (panel.js): one request per embed.
for js in showcase.js results.js; do
  esbuild "$js" --bundle --minify --format=esm --log-level=warning --outfile="../dist/$js" --allow-overwrite
done
