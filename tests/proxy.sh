#!/usr/bin/env bash
# ADMIN.md's nginx example, run as written: the ```nginx block is taken from the guide, pointed at a
# self-signed certificate, free ports and a temporary directory, and put in front of a real
# `pulse serve --client-address-header X-Real-IP`. Checks HTTPS, HSTS, the redirect from HTTP, that a
# response goes through, that no access log is written, and that the rate limit keys on the client
# (not the proxy, and not what a client claims).
set -euo pipefail
cd "$(dirname "$0")/.."

. tests/check.sh

work=$(mktemp -d)
pulse_port=$(free_port)
https_port=$(free_port)
http_port=$(free_port)
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${pulse:-}" ] && kill "$pulse" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pulse.example.nhs.uk" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The guide's block, with only machine-specific paths and ports changed.
site=$(awk '/^```nginx$/ {on=1; next} /^```$/ {on=0} on' ADMIN.md)
[ -n "$site" ] || { echo "no nginx block in ADMIN.md" >&2; exit 1; }
site=${site//\/etc\/ssl\/certs\/pulse.example.nhs.uk.pem/$work/cert.pem}
site=${site//\/etc\/ssl\/private\/pulse.example.nhs.uk.key/$work/key.pem}
site=${site//\/var\/log\/nginx\//$work/}
site=${site//listen 443 ssl;/listen 127.0.0.1:$https_port ssl;}
site=${site//listen 80;/listen 127.0.0.1:$http_port;}
site=${site//127.0.0.1:8080/127.0.0.1:$pulse_port}
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/main-error.log;
events {}
http {
  client_body_temp_path $work;
  proxy_temp_path $work;
  fastcgi_temp_path $work;
  uwsgi_temp_path $work;
  scgi_temp_path $work;
  $site
}
CONF

cargo build --release --quiet
target/release/pulse serve --data "$work/data" --bind "127.0.0.1:$pulse_port" \
  --client-address-header X-Real-IP --rate-limit 60 --rate-burst 8 >"$work/pulse.log" 2>&1 &
pulse=$!
"$(command -v nginx || echo /usr/sbin/nginx)" -p "$work" -c "$work/nginx.conf"
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$pulse_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

base="https://pulse.example.nhs.uk:$https_port"
tls() { curl -sk --resolve "pulse.example.nhs.uk:$https_port:127.0.0.1" "$@"; }
check "healthz over HTTPS" 200 "$(tls -o /dev/null -w '%{http_code}' "$base/healthz")"
check "HSTS on the answer" 1 "$(tls -D - -o /dev/null "$base/healthz" | grep -ci '^strict-transport-security: max-age=63072000')"
check "HTTP redirects to HTTPS" 301 "$(curl -s -o /dev/null -w '%{http_code}' -H 'host: pulse.example.nhs.uk' "http://127.0.0.1:$http_port/healthz")"
check "pulse's own headers come through" 1 "$(tls -D - -o /dev/null "$base/" | grep -ci '^content-security-policy:')"
response='{"submission_id":"00000000000000000000000000000001","survey_version":1,"answers":{"awareness":"know_whats_in_it","values_lived":{"working_together":4,"respect_dignity":5,"commitment_to_quality":3,"compassion":4,"improving_lives":2,"everyone_counts":5},"focus_value":"compassion","shared_purpose":"agree"}}'
check "a response through the proxy, from the survey's own page" 201 "$(tls -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -H "origin: $base" -d "$response" "$base/api/v1/surveys/constitution/responses")"

# The rate limit (a burst of 8) keys on the client nginx saw: 127.0.0.1 has used up to 6 of its 8
# already (the checks above, and the wait for pulse to start), so 8 more end refused.
statuses=""
for _ in 1 2 3 4 5 6 7 8; do statuses="$statuses $(tls -o /dev/null -w '%{http_code}' -H 'x-real-ip: 203.0.113.9' "$base/healthz")"; done
check "127.0.0.1 is limited, whatever X-Real-IP it claims" 429 "${statuses##* }"
check "another client (127.0.0.2) is not" 200 "$(tls --interface 127.0.0.2 -o /dev/null -w '%{http_code}' "$base/healthz")"
check "no access log" 0 "$(cat "$work"/access.log 2>/dev/null | wc -l)"
check "no client address in pulse's log" 0 "$(grep -c '127.0.0.2\|203.0.113.9' "$work/pulse.log" || true)"

finish proxy
