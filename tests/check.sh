# Sourced by the shell tests: `check NAME EXPECTED ACTUAL` counts a pass or a failure and says which,
# `free_port` prints a free local port, and `finish NAME` prints the closing line and fails the
# script if anything failed.
passed=0
failed=0
check() {
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: expected $2, got $3"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
