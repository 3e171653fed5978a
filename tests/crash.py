#!/usr/bin/env python3
"""Crash test: nothing acknowledged is ever lost or stored twice.

Clients submit valid responses continuously, each retrying its own submission (same submission id)
until the server acknowledges it, while the server is killed with SIGKILL at random moments and
restarted. Midway a backup is taken from the running server, and the server is stopped once with
SIGTERM under load, which must exit 0. Afterwards:

- every acknowledged submission is stored: resending it is answered 200 ("stored before");
- nothing is stored twice or without being acknowledged: the stored count equals the acknowledged;
- the counters equal a recount of the stored responses, and every story in the moderation queue
  (half the clients consent to share theirs) is in its response with consent (`pulse check`, on the
  running server through its control socket and again on the stopped database), and so does the
  backup.

    python3 tests/crash.py              # 20 kills
    python3 tests/crash.py --kills 3    # the README's test command runs this short setting
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PULSE = REPO / "target" / "release" / "pulse"


def log(*args):
    print("crash:", *args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data, port):
        self.data, self.port, self.proc = data, port, None

    def start(self):
        self.proc = subprocess.Popen(
            [PULSE, "serve", "--data", self.data, "--bind", f"127.0.0.1:{self.port}", "--rate-limit", "0"],
            stdout=subprocess.DEVNULL,
            stderr=open(Path(self.data) / "server.log", "a"),
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.02)
        raise SystemExit("crash: the server did not come back within 30 s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise SystemExit("crash: the server did not stop within 30 s of SIGTERM")


AWARENESS = ["not_heard", "heard_not_content", "know_whats_in_it"]
VALUES = ["working_together", "respect_dignity", "commitment_to_quality", "compassion", "improving_lives", "everyone_counts"]


def response(rng):
    answers = {
        "awareness": rng.choice(AWARENESS),
        "values_lived": {v: rng.randint(1, 5) for v in VALUES},
        "focus_value": rng.choice(VALUES),
        "shared_purpose": rng.choice(["agree", "disagree"]),
        "story": "A colleague stayed late so a family could say goodbye.",
        "story_values": rng.sample(VALUES, 2),
    }
    # Half agree to share, so the moderation queue is written in the same commits, and checked.
    if rng.random() < 0.5:
        answers["story_consent"] = "yes"
    return {"submission_id": "%032x" % rng.getrandbits(128), "survey_version": 1, "context": None, "answers": answers}


def post(port, body, timeout=5):
    """The status of one POST, or None when the connection failed (the server is down)."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("POST", "/api/v1/surveys/constitution/responses", body, {"content-type": "application/json"})
        r = c.getresponse()
        r.read()
        return r.status
    except OSError:
        return None


def client(port, seed, stop, acked, lock, failures):
    rng = random.Random(seed)
    while not stop.is_set():
        body = json.dumps(response(rng))
        # Retry this submission, unchanged, until it is acknowledged: as the widget does.
        while True:
            status = post(port, body)
            if status in (200, 201):
                with lock:
                    acked.append(body)
                break
            if status is not None and status not in (408, 429, 503):
                failures.append(f"a valid response was refused with {status}: {body}")
                stop.set()
                return
            time.sleep(0.02)


def pulse(*args):
    return subprocess.run([PULSE, *args], capture_output=True, text=True)


def check(data, where):
    r = pulse("check", "--data", data)
    log(f"pulse check ({where}): {r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr.strip()}")
    if r.returncode != 0:
        raise SystemExit(f"crash: pulse check failed ({where}):\n{r.stdout}{r.stderr}")
    return int(r.stdout.strip().splitlines()[-1].split()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=20, help="SIGKILLs (default 20)")
    ap.add_argument("--clients", type=int, default=8, help="clients submitting at once (default 8)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    if not (os.environ.get("PULSE_SKIP_BUILD") and PULSE.exists()):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "pulse-ingest", "--bin", "pulse"], cwd=REPO, check=True)
    rng = random.Random(args.seed)
    log(f"seed {args.seed}, {args.kills} kills, {args.clients} clients")
    with tempfile.TemporaryDirectory(prefix="pulse-crash-") as tmp:
        data = str(Path(tmp) / "data")
        Path(data).mkdir()
        backup = Path(tmp) / "backup" / "pulse.redb"
        backup.parent.mkdir()
        server = Server(data, free_port())
        server.start()
        stop, lock, acked, failures = threading.Event(), threading.Lock(), [], []
        clients = [threading.Thread(target=client, args=(server.port, args.seed * 100 + i, stop, acked, lock, failures)) for i in range(args.clients)]
        for t in clients:
            t.start()
        started = time.time()
        sigterm_at = args.kills // 2
        for kill in range(args.kills):
            time.sleep(rng.uniform(0.2, 1.2))
            if kill == sigterm_at:
                # Midway: a backup from the running server under load, then a SIGTERM under load.
                r = pulse("backup", "--data", data, "--out", str(backup))
                if r.returncode != 0:
                    raise SystemExit(f"crash: backup failed: {r.stderr}")
                log(r.stdout.strip())
                check(data, "running server, through its control socket")
                code = server.terminate()
                if code != 0:
                    raise SystemExit(f"crash: SIGTERM under load exited {code}, not 0")
                log("SIGTERM under load: exited 0")
                server.start()
                time.sleep(rng.uniform(0.2, 1.2))
            server.kill()
            time.sleep(rng.uniform(0, 0.3))
            server.start()
        time.sleep(0.5)
        stop.set()
        for t in clients:
            t.join()
        elapsed = time.time() - started

        # Every acknowledged submission is stored: a resend is answered 200, not 201.
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda body: post(server.port, body, timeout=30), acked))
        lost = sum(1 for s in statuses if s != 200)
        ids = {json.loads(b)["submission_id"] for b in acked}
        stored_running = check(data, "running server")
        code = server.terminate()
        if code != 0:
            raise SystemExit(f"crash: final SIGTERM exited {code}, not 0")
        stored = check(data, "stopped database")
        backup_stored = check(str(backup.parent), "the backup")
        duplicated = stored - len(ids)
        log(
            f"{args.kills} kills (+1 SIGTERM) in {elapsed:.1f} s; {len(acked)} responses acknowledged "
            f"({len(ids)} distinct), {stored} stored; lost {lost}, duplicated {duplicated}; "
            f"backup holds {backup_stored}"
        )
        if failures or not acked or lost or duplicated or stored != stored_running or len(ids) != len(acked):
            for f in failures[:3]:
                log(f)
            raise SystemExit("crash: FAILED")
        log("ok")


if __name__ == "__main__":
    main()
