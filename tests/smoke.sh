#!/usr/bin/env bash
# The README's promise, checked the way a person would: `cargo run --release -- serve --demo` starts
# the service with its default survey, the demo pages and the demo responses; a curl POST of a valid
# response returns 201, and an admin token shows it in the results. Uses a temporary data directory
# and a free port.
set -euo pipefail
cd "$(dirname "$0")/.."

. tests/check.sh

data=$(mktemp -d)
port=$(free_port)
base="http://127.0.0.1:$port"
cargo build --release --quiet
PULSE_DATA="$data" PULSE_BIND="127.0.0.1:$port" cargo run --release --quiet -- serve --demo >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
check "healthz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")"
check "demo page embeds the widget" 1 "$(curl -s "$base/" | grep -c 'data-pulse-survey="constitution"')"
check "widget wasm served as application/wasm" "application/wasm" "$(curl -s -o /dev/null -w '%{content_type}' "$base/widget/pulse-widget_bg.wasm")"
check "Welsh demo page" 1 "$(curl -s "$base/demo/cy" | grep -c '<html lang="cy">')"
check "iframe page in Welsh" 1 "$(curl -s "$base/embed/constitution?lang=cy" | grep -c '<title>Ein gwerthoedd GIG</title>')"
curl -s "$base/api/v1/openapi.json" >"$data/openapi.json"
check "the API document passes an OpenAPI validator" OK "$(python3 -m openapi_spec_validator "$data/openapi.json" 2>&1 | grep -o 'OK$' || true)"
check "default survey served" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/surveys/constitution")"

response() { # response N: a valid response with submission id N
  printf '{"submission_id":"%032x","survey_version":1,"context":"clinical","answers":{"awareness":"know_whats_in_it","values_lived":{"working_together":4,"respect_dignity":5,"commitment_to_quality":3,"compassion":4,"improving_lives":2,"everyone_counts":5},"focus_value":"compassion","shared_purpose":"agree"}}' "$1"
}
post() { curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d "$(response "$1")" "$base/api/v1/surveys/constitution/responses"; }

token=$(PULSE_DATA="$data" cargo run --release --quiet -- admin token create --name smoke --role owner 2>/dev/null)
check "results without a token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/surveys/constitution/results")"
# The demo runs in four waves; the open one, winter, shows its responses so far by context (its
# answers wait for its close), and autumn, closed, its 120 demo responses.
clinical() { # clinical WAVE: the responses from Clinical services in that wave's results
  curl -s -H "authorization: Bearer $token" "$base/api/v1/surveys/constitution/results?wave=$1" |
    python3 -c 'import json,sys; print(next(c["responses"] for c in json.load(sys.stdin)["contexts"] if c["id"] == "clinical"))'
}
before=$(clinical winter)

check "curl POST of a valid response" 201 "$(post 1)"
check "the same response again" 200 "$(post 1)"
for n in $(seq 2 10); do post "$n" >/dev/null; done

check "the open wave counts all 10 sent from Clinical services" "$((before + 10))" "$(clinical winter)"
results=$(curl -s -H "authorization: Bearer $token" "$base/api/v1/surveys/constitution/results?wave=autumn")
check "the closed autumn wave holds its 120 demo responses" 120 "$(printf '%s' "$results" | python3 -c 'import json,sys; print(json.load(sys.stdin)["responses"])')"

kill -TERM $server
wait $server && status=0 || status=$?
check "SIGTERM stops the server cleanly" 0 "$status"

finish smoke
