#!/usr/bin/env bash
# Installs what building the widget and testing it in a browser need, skipping whatever is already
# there at the right version. On a fresh machine this takes about 11 minutes, mostly compiling trunk.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pinned in widget/Cargo.toml
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi
# Not --locked: its lock file pins a webpki-roots release the registry no longer has.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# The widget's release build (widget/build.sh) uses this pinned nightly with the standard library's
# source, to rebuild std for size.
WIDGET_NIGHTLY=nightly-2026-05-20
if ! rustup component list --toolchain "$WIDGET_NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup target list --toolchain "$WIDGET_NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup toolchain install "$WIDGET_NIGHTLY" --profile minimal --target wasm32-unknown-unknown --component rust-src
fi
# The size build runs offline, so std's own dependencies (wasip1, compiler_builtins …) must be in the
# cargo registry before it starts; a machine that never built std for wasm has none of them. Fetching
# reads the lock file shipped with rust-src and downloads only what is missing (well under a second
# when nothing is).
cargo +"$WIDGET_NIGHTLY" fetch --manifest-path \
  "$(rustc +"$WIDGET_NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
# The fuzz targets (tests/fuzz/) build with cargo-fuzz on a nightly toolchain.
if ! cargo +nightly --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -q '0.13'; then
  cargo install cargo-fuzz --version 0.13.2
fi
# Chromium for the browser tests, faketime for the one that spans waves; wrk and brotli for the benchmark (tests/bench/run.py); nginx and
# openssl for the proxy example (tests/proxy.sh).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v curl >/dev/null \
  || ! command -v wrk >/dev/null || ! command -v brotli >/dev/null || ! command -v openssl >/dev/null \
  || ! [ -x /usr/sbin/nginx ] || ! command -v faketime >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver curl wrk brotli openssl nginx-light faketime >/dev/null
fi
# An OpenAPI validator for the API document (tests/smoke.sh); schemathesis, which sends requests
# generated from it (tests/schema.sh); a second OpenID provider for the sign-in tests
# (tests/e2e/providers.test.mjs).
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator==0.7.2
fi
if ! python3 -m schemathesis.cli --version 2>/dev/null | grep -q '4.32.5'; then
  python3 -m pip install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
if ! python3 -c 'import importlib.metadata as m; assert m.version("oidc-provider-mock") == "0.3.4"' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check oidc-provider-mock==0.3.4
fi
# wasm-opt from npm's binaryen: Debian's older build produces a wasm the browser rejects.
if [ ! -x widget/node_modules/.bin/wasm-opt ] || [ ! -x widget/node_modules/.bin/esbuild ]; then
  (cd widget && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -d tests/node_modules/playwright-core ] || [ ! -x tests/node_modules/.bin/lighthouse ] || [ ! -d tests/node_modules/oidc-provider ] || [ ! -d tests/node_modules/pdfjs-dist ]; then
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
