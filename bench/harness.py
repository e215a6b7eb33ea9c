#!/usr/bin/env python3
"""Benchmark harness: vouch against its Python peers, on loopback, bounded in time.

For every server and mode (concurrent = POST /async, sequential = POST /sync) it starts a fresh
providers sandbox and a fresh server process (free ports picked at run time), waits for
/healthz, times single submissions one after another, then drives wrk at each concurrency step
(warm-up, then a measured run of fixed duration) while reading the server's CPU time and memory
from /proc. Everything it starts runs in its own process group and is killed on exit, whatever
the exit. A server that fails is recorded as failed and the run goes on with the next one.
Output: OUT/results.json (read by report.py) and OUT/logs/*.log. Standard library only.
"""

import argparse
import atexit
import datetime
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
PEERS = os.path.join(BENCH, "peers")
LUA = os.path.join(BENCH, "form.lua")
TICK = os.sysconf("SC_CLK_TCK")
PEER_MARKER = 'data-outcome="unverified"'

PROFILES = {
    # steps, seconds per measured step, warm-up seconds, single submissions, servers
    "full": dict(steps=[1, 16, 64, 256, 1024], duration=10, warmup=2, singles=50,
                 servers="vouch,fastapi,flask-gunicorn,flask-run", budget=17 * 60,
                 cooldown=8, quiet_wait=120),
    "quick": dict(steps=[1, 16, 64, 256, 1024], duration=3, warmup=1, singles=10,
                  servers="vouch,fastapi,flask-gunicorn,flask-run", budget=8 * 60,
                  cooldown=4, quiet_wait=30),
    "smoke": dict(steps=[1, 4], duration=3, warmup=1, singles=5,
                  servers="vouch,fastapi", budget=3 * 60, cooldown=2, quiet_wait=0),
}
MODES = {"concurrent": "/async", "sequential": "/sync"}

# The load scenarios, all their parameters in one place (results.json and the report print them).
# perfect: fixed provider latency, no faults, every submission unique: what each server costs
# when nothing goes wrong (BENCHMARKS.md). realistic: the sandbox's heavy-tailed latency
# (log-normal, p99 = 3 x median), a few % of provider calls answered 500 or never answered, and
# a share of submissions repeating one of 100 earlier people (submit pressed twice)
# (BENCHMARKS-realistic.md). A fixed seed makes every sandbox draw the same latency and fault
# sequence, so each server meets the same providers. client_timeout_s is wrk's: in the
# realistic scenario a sequential peer that waits out two stalled calls answers after
# 2 x 3 s + the third call, and 10 s lets wrk time that answer instead of counting an error.
# drain_s: the realistic steps time each request started in the measured seconds on its own
# and keep the load on drain_s seconds longer so that the slow ones are answered too (see
# form.lua, "Tracked requests"); vouch's deadline is 4 s, a peer's concurrent call 3 s.
SCENARIOS = {
    "perfect": dict(jitter="off", error_rate=0.0, timeout_rate=0.0, repeat=0.0, seed=None,
                    client_timeout_s=5, drain_s=0),
    "realistic": dict(jitter="on", error_rate=0.02, timeout_rate=0.02, repeat=0.2, seed=7,
                      client_timeout_s=10, drain_s=5),
}
# The peers' per-call timeout (PEER_PROVIDER_TIMEOUT_S in peers/common.py): vouch's default
# per-call timeout, so that a stalled provider call costs every server the same 3 s at most.
# The perfect world's providers (bench/lib.sh's start_sandbox and bench/single use it too).
FIXED_LATENCY = "eva=100ms,lob=200ms,veriphone=300ms"
PEER_TIMEOUT_S = 3
# vouch's defaults that shape the realistic scenario (design.md, "Resilience"), for the report.
VOUCH_POLICY = {"per_call_timeout_s": 3, "deadline_s": 4,
                "retry": "one, after a 5xx or a connection error, within a 10 % budget",
                "cache": "verdict cache, 24 h"}
# How vouch's result page marks a field it could not verify (templates/form.html).
VOUCH_MARKER = "field--unverified"

SERVERS = {
    "vouch": dict(short="vouch", label="vouch (Rust, axum + reqwest)",
                  about="one process on Tokio's multi-threaded runtime; one pooled reqwest client "
                        "to the providers (h2c unless VOUCH_PROVIDER_H2C=off)"),
    "fastapi": dict(short="FastAPI + aiohttp", label="FastAPI + aiohttp (uvicorn, 2 workers)",
                    about="strongest Python design: uvloop + httptools, one shared aiohttp "
                          "session per worker"),
    "flask-gunicorn": dict(short="Flask (gunicorn)", label="Flask tutorial (gunicorn 4x8 threads)",
                           about="the tutorial's app: requests per call for /sync, aiohttp "
                                 "session per submission + gather for /async; gunicorn gthread "
                                 "4 workers x 8 threads"),
    "flask-run": dict(short="Flask (flask run)", label="Flask tutorial (flask run)",
                      about="the same app on Werkzeug's threaded dev server, as the tutorial "
                            "ran it"),
}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- processes -----------------------------------------------------------------------------

class Proc:
    """A child in its own process group (session); stop() ends that group, and only it."""

    live = []

    def __init__(self, name, cmd, env, cwd, logdir):
        self.name = name
        self.logpath = os.path.join(logdir, f"{name}.log")
        self.logfile = open(self.logpath, "ab")
        self.logfile.write(f"$ {' '.join(cmd)}\n".encode())
        self.logfile.flush()
        self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                      stdout=self.logfile, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        self.pid = self.popen.pid
        Proc.live.append(self)

    def alive(self):
        return self.popen.poll() is None

    def stop(self, grace=5.0):
        if self in Proc.live:
            Proc.live.remove(self)
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
            try:
                os.killpg(self.pid, sig)     # the group we created: this child and its workers
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=wait)
                # workers may outlive the leader for a moment: make sure the group is empty
                deadline = time.monotonic() + wait
                while group_alive(self.pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if not group_alive(self.pid):
                    break
            except subprocess.TimeoutExpired:
                continue
        self.logfile.close()

    def log_tail(self, n=15):
        try:
            with open(self.logpath, "rb") as f:
                return b"".join(f.readlines()[-n:]).decode(errors="replace")
        except OSError:
            return ""


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def stop_all(*_):
    for p in list(Proc.live):
        p.stop(grace=2.0)


def on_signal(signum, _frame):
    log(f"signal {signum}: stopping everything this harness started")
    stop_all()
    sys.exit(128 + signum)


# --- /proc -----------------------------------------------------------------------------------

def proc_tree(root):
    """root and all its live descendants (walks PPid links in /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_ticks(pids):
    """utime+stime (+ reaped children's) in clock ticks, summed over pids."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        except (OSError, ValueError, IndexError):
            pass
    return total


def status_kib(pids, key):
    """A VmXxx line of /proc/PID/status (kB), summed over pids; per-pid values too."""
    total, each = 0, {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        each[pid] = int(line.split()[1])
                        total += each[pid]
        except (OSError, ValueError):
            pass
    return total, each


def machine_jiffies():
    """(total, idle) jiffies of all CPUs; guest time is already inside user/nice."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:9]]
    idle = parts[3] + parts[4]                       # idle + iowait
    return sum(parts), idle


def machine_info():
    def cmd(*args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=20,
                                  check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unknown"
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "nproc": len(os.sched_getaffinity(0)), "cpu_model": model, "memory": mem,
        "kernel": platform.release(), "os": cmd("sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"),
        "rustc": cmd("rustc", "-V"), "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "?",
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
        "git": cmd("git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=12"),
    }


# --- HTTP helpers ---------------------------------------------------------------------------

def free_port():
    return free_ports(1)[0]


def free_ports(n):
    """n distinct free ports: all bound at once, since a port closed a moment ago may be handed
    out again (a sandbox and its server once got the same one)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def http_get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode(errors="replace")
    finally:
        conn.close()


def wait_healthy(proc, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode}:\n"
                               f"{proc.log_tail()}")
        try:
            if http_get(port, "/healthz", timeout=1.0)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{proc.name}: /healthz not 200 after {timeout}s:\n{proc.log_tail()}")


def person(n):
    """Phone and street of person n, as form.lua's person() (n < 50,000: its stream 0, kept
    for the single submissions, so they share no check with the load steps)."""
    block, line = divmod(n, 10000)
    offset = block % 99
    offset += 1 if offset >= 11 else 0          # no N11 exchanges
    exchange = 200 + block // 99 * 100 + offset
    return f"(202) {exchange:03d}-{line:04d}", f"{1 + n} Berry St"


def form_body(k, n, domain="gmail.com"):
    """The same form as form.lua: email from k (unique in the run), phone and street from n
    (unique in the server process)."""
    phone, street = person(n)
    fields = {"firstName": "Jane", "lastName": "Doe", "phoneNumber": phone,
              "email": f"jane.doe.{k}@{domain}", "address": street,
              "address2": "", "city": "San Francisco", "state": "CA", "zip": "94107"}
    return urllib.parse.urlencode(fields)


# vouch's provider counters read from /metrics: metric -> (name here, labels that key it).
VOUCH_COUNTERS = {
    "vouch_provider_calls_total": ("calls", ("provider", "outcome")),
    "vouch_cache_lookups_total": ("cache", ("provider", "result")),
    "vouch_provider_retries_total": ("retries", ("provider",)),
    "vouch_provider_hedges_total": ("hedges", ("provider",)),
}


def scrape_counters(port):
    """vouch's provider counters, each summed by its key labels (`eva/pass`, `lob/hit`, `eva`),
    as {"calls": {...}, "cache": {...}, "retries": {...}, "hedges": {...}}; None if unavailable."""
    try:
        status, text = http_get(port, "/metrics", timeout=2.0)
    except OSError:
        return None
    if status != 200:
        return None
    out = {name: {} for name, _ in VOUCH_COUNTERS.values()}
    for line in text.splitlines():
        metric = line.split("{", 1)[0]
        if metric not in VOUCH_COUNTERS or "{" not in line:
            continue
        name, keys = VOUCH_COUNTERS[metric]
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', line.split("}")[0]))
        key = "/".join(labels.get(k, "?") for k in keys)
        out[name][key] = out[name].get(key, 0) + float(line.rsplit(" ", 1)[1])
    return out


def delta_calls(before, after):
    if before is None or after is None:
        return None
    keys = set(before) | set(after)
    return {k: int(after.get(k, 0) - before.get(k, 0)) for k in sorted(keys)
            if after.get(k, 0) != before.get(k, 0)}


def delta_counters(before, after):
    if before is None or after is None:
        return None
    return {name: delta_calls(before[name], after[name]) for name in after}


# --- measurements ---------------------------------------------------------------------------

def single_submissions(port, path, count, timeout, marker, k0):
    """`count` POSTs one after another on one keep-alive connection (plus one unrecorded)."""
    times, errors, degraded = [], [], 0
    conn = None
    deadline = time.monotonic() + count * (timeout + 1) + 10
    for i in range(count + 1):
        if time.monotonic() > deadline:
            errors.append("time budget of the single-submission test exhausted")
            break
        body = form_body(k0 + i, i)
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                conn.connect()
            t0 = time.perf_counter()
            conn.request("POST", path, body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            text = r.read().decode(errors="replace")
            ms = (time.perf_counter() - t0) * 1000
            if r.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"{type(e).__name__}: {e}")
            if conn:
                conn.close()
            conn = None
            continue
        if not 200 <= r.status < 300:
            errors.append(f"HTTP {r.status}")
            continue
        if marker and marker in text:
            degraded += 1
        if i > 0:                      # the first one warms the server up and is not counted
            times.append(ms)
    if conn:
        conn.close()
    q = statistics.quantiles(times, n=10) if len(times) >= 2 else [None] * 9
    return {"count": len(times), "errors": len(errors), "error_samples": errors[:5],
            "degraded": degraded,
            "median_ms": statistics.median(times) if times else None,
            "p90_ms": q[8], "min_ms": min(times) if times else None,
            "max_ms": max(times) if times else None, "samples_ms": [round(t, 2) for t in times]}


def run_wrk(port, path, c, duration, cfg, seed, marker, drain=0):
    """One wrk run. drain > 0: form.lua tracks the requests started in the first `duration`
    seconds and wrk keeps the same load `drain` seconds longer so that they get answered."""
    timeout = cfg.timeout
    threads = max(1, min(c, os.cpu_count() or 2))
    cmd = ["wrk", "-t", str(threads), "-c", str(c), "-d", f"{duration + drain}s",
           "--timeout", f"{timeout}s", "-s", LUA, f"http://127.0.0.1:{port}"]
    start = min(1.0, duration / 4)
    ramp = min(2.0, (duration - start) / 2)
    env = dict(os.environ, BENCH_PATH=path, BENCH_SEED=str(seed), BENCH_DEGRADED_MARKER=marker,
               BENCH_DURATION=str(duration), BENCH_WINDOW_FROM=str(start),
               BENCH_WINDOW_RAMP=str(ramp), BENCH_REPEAT=str(cfg.scen["repeat"]),
               BENCH_TRACK="1" if drain else "0")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=duration + drain + timeout + 30, check=False)
    except subprocess.TimeoutExpired:
        return {"failed": "wrk did not finish in time (killed)"}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        return {"failed": f"wrk exit {done.returncode}: {done.stderr.strip()[-500:]}"}
    w = json.loads(line[len("WRKJSON "):])
    w["loadgen_cpu_s"] = round((after.ru_utime + after.ru_stime)
                               - (before.ru_utime + before.ru_stime), 3)
    return w


def cooldown(tree_root, max_s):
    """Wait until the server tree is idle (≤ 1 tick per 250 ms twice in a row) or max_s."""
    start = time.monotonic()
    quiet = 0
    last = cpu_ticks(proc_tree(tree_root))
    while time.monotonic() - start < max_s:
        time.sleep(0.25)
        now = cpu_ticks(proc_tree(tree_root))
        quiet = quiet + 1 if now - last <= 1 else 0
        last = now
        if quiet >= 2:
            break
    return round(time.monotonic() - start, 2)


def wait_for_quiet(cfg, max_s):
    """Before a step: wait (≤ max_s) until other users of the machine take ≤ 0.3 cores.

    Called with our server and sandbox idle, so all CPU seen is someone else's."""
    start = time.monotonic()
    ncpu = len(os.sched_getaffinity(0))
    while True:
        t0, i0 = machine_jiffies()
        time.sleep(0.5)
        t1, i1 = machine_jiffies()
        other = ncpu * (1 - (i1 - i0) / max(1, t1 - t0))
        waited = time.monotonic() - start
        if other <= 0.3 or waited >= max_s or cfg.quiet_left <= 0:
            cfg.quiet_left -= waited
            return round(waited, 1), round(other, 2)


def measure_step(server, sandbox, port, path, c, cfg, seed, marker, is_vouch):
    """One measured wrk run with /proc and /metrics read right before and right after."""
    pids = proc_tree(server.pid)
    counters0 = scrape_counters(port) if is_vouch else None
    sb0 = cpu_ticks(proc_tree(sandbox.pid))
    ticks0, (m_total0, m_idle0), t0 = cpu_ticks(pids), machine_jiffies(), time.monotonic()
    w = run_wrk(port, path, c, cfg.duration, cfg, seed, marker, cfg.scen["drain_s"])
    pids = proc_tree(server.pid)
    ticks1, (m_total1, m_idle1), t1 = cpu_ticks(pids), machine_jiffies(), time.monotonic()
    sandbox_cpu_s = (cpu_ticks(proc_tree(sandbox.pid)) - sb0) / TICK
    counters = delta_counters(counters0, scrape_counters(port)) if is_vouch else None
    if "failed" in w:
        return {"c": c, "status": "failed", "error": w["failed"]}
    dur = w["duration_us"] / 1e6
    errors = {k: w[k] for k in ("non2xx", "timeout", "connect", "read", "write")}
    ok = max(0, w["requests"] - w["non2xx"] - w["timeout"])
    # Steady-state rate from form.lua's trapezoid window (see there). Counting over the whole
    # step instead misses the requests in flight at the end (up to one latency per connection:
    # -3 % at 300 ms / 10 s) while the start has none in flight. The window cannot tell late
    # (timed-out) answers apart, so steps with timeouts use the whole step.
    if w["window_s"] > 0 and w["timeout"] == 0:
        rps, rps_basis = w["window_ok"] / w["window_s"], "steady window"
    else:
        rps, rps_basis = (ok / dur if dur else 0.0), "whole step"
    cpu_s = (ticks1 - ticks0) / TICK
    busy = 1 - (m_idle1 - m_idle0) / max(1, m_total1 - m_total0)
    wall = max(1e-9, t1 - t0)
    ncpu = len(os.sched_getaffinity(0))
    # CPU used on the machine by anything but the server, the sandbox and wrk (other users)
    others = busy * ncpu * wall - cpu_s - sandbox_cpu_s - w["loadgen_cpu_s"]
    step = {
        "c": c, "status": "ok", "duration_s": round(dur, 3),
        "completed": w["requests"], "ok": ok, "rps": round(rps, 2), "rps_basis": rps_basis,
        "rps_whole_step": round(ok / dur, 2) if dur else 0.0,
        "window_ok": round(w["window_ok"], 2), "window_s": w["window_s"],
        "p50_ms": w["p50_us"] / 1000, "p90_ms": w["p90_us"] / 1000,
        "p99_ms": w["p99_us"] / 1000, "max_ms": w["max_us"] / 1000,
        "mean_ms": round(w["mean_us"] / 1000, 3),
        "errors": errors, "errors_total": sum(errors.values()),
        "cpu_s": round(cpu_s, 3),
        "cpu_ms_per_req": round(cpu_s * 1000 / w["requests"], 4) if w["requests"] else None,
        "server_cpu_pct": round(100 * cpu_s / wall, 1),
        "sandbox_cpu_s": round(sandbox_cpu_s, 3), "loadgen_cpu_s": w["loadgen_cpu_s"],
        "machine_busy_pct": round(100 * busy, 1),
        "others_cores": round(max(0.0, others) / wall, 2),
        "rss_kib_end": status_kib(pids, "VmRSS")[0], "processes": len(pids),
    }
    if marker:
        step["unverified_answers"], step["unverified_of"] = w["degraded"], w["requests"]
    if w.get("tracked"):
        tracked_figures(step, w)
    if is_vouch:
        vouch_step_figures(step, counters, w, cfg.scenario)
    else:
        step["degraded"] = w["degraded"]
        step["degraded_unit"] = "answers with an unverified field"
    return step


def tracked_figures(step, w):
    """The realistic scenario's latency and answer counts: form.lua's tracked requests (those
    started in the measured seconds, each timed on its own) replace wrk's, which are kept."""
    t = w["tracked"]
    step["wrk_latency_ms"] = {k: step[f"{k}_ms"] for k in ("p50", "p90", "p99", "max")}
    step.update({f"{k}_ms": t[f"{k}_us"] / 1000 for k in ("p50", "p90", "p99", "max")})
    step.update(latency_basis="tracked", tracked=t, unanswered=t["unanswered"],
                unverified_answers=t["unverified"], unverified_of=t["answers"])


def vouch_step_figures(step, counters, w, scenario):
    """vouch's provider work in a step, from the /metrics deltas."""
    calls = counters and counters["calls"]
    step["provider_calls"] = calls
    if calls is None or not w["requests"]:
        step["degraded"] = None
        return
    made = sum(v for k, v in calls.items() if not k.endswith(("/skipped", "/cached")))
    failed = sum(v for k, v in calls.items() if k.endswith(("/error", "/timeout")))
    step["calls_per_req"] = round(made / w["requests"], 3)
    # Requests cut off when wrk stops made some of their calls: 3 per answer is only expected
    # between 3 x answered and 3 x sent. Perfect world: 3 provider calls (nothing may come from
    # the cache); realistic: 3 checks (outcomes), some answered by the cache.
    checks = sum(v for k, v in calls.items() if not k.endswith("/skipped"))
    basis = checks if scenario == "realistic" else made
    step["calls_expected"] = [3 * w["requests"], 3 * w["sent"]]
    step["calls_made"] = made
    step["calls_ok"] = 3 * w["requests"] <= basis <= 3 * w["sent"]
    step["degraded"] = failed
    step["degraded_unit"] = "provider calls (error/timeout, from /metrics)"
    # Calls that reached a provider: every outcome but those that made none, plus the retries
    # and hedges (each one more call). Coalesced identical checks that failed together count
    # once per check, so this is an upper bound. Per submission: every check records one
    # outcome (skipped too), three per submission; dividing by outcomes / 3 rather than by
    # answers keeps out the submissions cut off when wrk stopped (some of their checks done).
    no_call = ("/skipped", "/cached", "/circuit_open", "/over_budget")
    sent = sum(v for k, v in calls.items() if not k.endswith(no_call))
    retries = sum(counters["retries"].values())
    hedges = sum(counters["hedges"].values())
    hits = sum(v for k, v in counters["cache"].items() if k.endswith("/hit"))
    lookups = sum(counters["cache"].values())
    outcomes = sum(calls.values())
    step.update(checks=checks, provider_calls_sent=sent, retries=retries, hedges=hedges,
                cache_lookups=counters["cache"], cache_hits=hits, outcomes=outcomes,
                provider_calls_per_sub=round(3 * (sent + retries + hedges) / outcomes, 3)
                if outcomes else None,
                cache_hit_share=round(hits / lookups, 4) if lookups else None)


# --- one server, one mode -------------------------------------------------------------------

def sandbox_self_check(cfg, count=15, warm=3):
    """Time direct calls to each sandbox endpoint: the floor as the sandbox really serves it."""
    port = free_port()
    env = dict(os.environ, RUST_LOG=os.environ.get("BENCH_RUST_LOG", "warn"))
    # Without faults: a call that never answers would end the check, and the medians are
    # about the latency model.
    sandbox = Proc("sandbox-self-check", sandbox_cmd(cfg, port, faults=False), env, ROOT,
                   cfg.logdir)
    auth = "Basic " + __import__("base64").b64encode(b"sandbox:").decode()
    calls = {
        "eva": ("GET", "/email?" + urllib.parse.urlencode({"email": "jane.doe@gmail.com"}),
                None, {}),
        "lob": ("POST", "/v1/us_verifications", urllib.parse.urlencode(
            {"primary_line": "185 Berry St", "secondary_line": "", "city": "San Francisco",
             "state": "CA", "zip_code": "94107"}),
            {"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"}),
        "veriphone": ("GET", "/v2/verify?" + urllib.parse.urlencode(
            {"phone": "(202) 456-1111", "key": "sandbox", "default_country": "US"}), None, {}),
    }
    out = {}
    try:
        wait_healthy(sandbox, port, 30)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for name, (method, path, body, headers) in calls.items():
            times, statuses = [], set()
            for _ in range(count + warm):
                t0 = time.perf_counter()
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                times.append((time.perf_counter() - t0) * 1000)
                statuses.add(r.status)
            out[name] = {"median_ms": round(statistics.median(times[warm:]), 2),
                         "min_ms": round(min(times[warm:]), 2), "statuses": sorted(statuses)}
        conn.close()
    except (OSError, RuntimeError, http.client.HTTPException) as e:
        out["error"] = f"{type(e).__name__}: {e}"
    finally:
        sandbox.stop()
    return out


def sandbox_cmd(cfg, port, faults=True):
    """The providers of the scenario; faults=False keeps its latency model but no faults."""
    sc = cfg.scen
    args = ["--listen", f"127.0.0.1:{port}", "--latency", cfg.latency, "--jitter", sc["jitter"]]
    if cfg.sandbox == "vouch":
        if sc["seed"] is not None:
            args += ["--seed", str(sc["seed"])]
        if faults and (sc["error_rate"] or sc["timeout_rate"]):
            args += ["--error-rate", f"{sc['error_rate']:g}",
                     "--timeout-rate", f"{sc['timeout_rate']:g}"]
        return [cfg.vouch_bin, "sandbox", *args, *cfg.sandbox_args]
    return [cfg.python, os.path.join(BENCH, "standin_sandbox.py"), *args]


def server_cmd(name, cfg, port):
    bindir = os.path.dirname(cfg.python)
    if name == "vouch":
        return [cfg.vouch_bin, "serve"], ROOT
    if name == "fastapi":
        return [os.path.join(bindir, "uvicorn"), "fastapi_app:app", "--host", "127.0.0.1",
                "--port", str(port), "--workers", "2", "--loop", "uvloop", "--http",
                "httptools", "--no-access-log", "--log-level", "warning",
                "--backlog", "4096"], PEERS
    if name == "flask-gunicorn":
        return [os.path.join(bindir, "gunicorn"), "--workers", "4", "--threads", "8",
                "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
                "--backlog", "4096", "--log-level", "warning", "flask_app:app"], PEERS
    if name == "flask-run":
        return [os.path.join(bindir, "flask"), "--app", "flask_app", "run", "--host",
                "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger",
                "--with-threads"], PEERS
    raise ValueError(name)


def page_marker(is_vouch, scenario):
    """The text that marks an answer with an unverified field. vouch's answers are counted only
    in the realistic scenario (the perfect world counts its failed calls from /metrics)."""
    if not is_vouch:
        return PEER_MARKER
    return VOUCH_MARKER if scenario == "realistic" else ""


def run_singles(port, path, cfg, marker, is_vouch, seed_base):
    """Single submissions; for vouch, `degraded` = its failed provider calls (/metrics)."""
    counters0 = scrape_counters(port) if is_vouch else None
    single = single_submissions(port, path, cfg.singles, cfg.timeout, marker,
                                seed_base * 10_000_000)
    if marker:
        single["unverified_answers"] = single["degraded"]
    if is_vouch:
        counters = delta_counters(counters0, scrape_counters(port))
        calls = counters and counters["calls"]
        single["provider_calls"] = calls
        if calls is not None:
            single["degraded"] = sum(
                v for k, v in calls.items() if k.endswith(("/error", "/timeout")))
            single["retries"] = sum(counters["retries"].values())
    return single


def run_mode(name, mode, cfg, deadline, seed_base):
    path = MODES[mode]
    result = {"status": "ok", "steps": [], "single": None, "peak_rss_kib": None}
    sport, port = free_ports(2)
    env = dict(os.environ)
    base = f"http://127.0.0.1:{sport}"
    env.update(EVA_BASE_URL=base, LOB_BASE_URL=base, VERIPHONE_BASE_URL=base,
               RUST_LOG=os.environ.get("BENCH_RUST_LOG", "warn"),
               VOUCH_LISTEN=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    env.setdefault("VOUCH_PROVIDERS", "sandbox")
    # vouch's documented setting for a plain-http provider it can multiplex over HTTP/2 (h2c);
    # the sandbox speaks it, the Python peers use their clients' HTTP/1.1 pools.
    env.setdefault("VOUCH_PROVIDER_H2C", "on")
    # One load generator is one client: vouch's per-client rate limit would refuse it.
    env.setdefault("VOUCH_RATE_LIMIT", "off")
    # The sandbox takes any number of calls at once; vouch's default of 256 per provider
    # (what a real provider accepts) would cap C = 1024 at 256 / 0.3 s = 853 submissions/s.
    env.setdefault("VOUCH_PROVIDER_CONCURRENCY", "100000")
    env.setdefault("PEER_PROVIDER_TIMEOUT_S", str(PEER_TIMEOUT_S))
    # Valid submissions are kept as sign-ups: a fresh database per server run, not ROOT's.
    env.setdefault("DATABASE_URL", f"sqlite://{cfg.logdir}/vouch-{mode}.db")
    sandbox = Proc(f"{name}-{mode}-sandbox", sandbox_cmd(cfg, sport), env, ROOT, cfg.logdir)
    server = None
    try:
        wait_healthy(sandbox, sport, 30)
        cmd, cwd = server_cmd(name, cfg, port)
        server = Proc(f"{name}-{mode}", cmd, env, cwd, cfg.logdir)
        wait_healthy(server, port, 60)
        is_vouch = name == "vouch"
        marker = page_marker(is_vouch, cfg.scenario)
        log(f"{name} {mode}: pid {server.pid} on :{port}, sandbox pid {sandbox.pid} on :{sport}")
        result["single"] = run_singles(port, path, cfg, marker, is_vouch, seed_base)
        s = result["single"]
        log(f"{name} {mode}: single median {s['median_ms'] and round(s['median_ms'], 1)} ms "
            f"({s['count']} ok, {s['errors']} errors)")
        for i, c in enumerate(cfg.steps):
            need = (cfg.warmup + cfg.duration + cfg.scen["drain_s"] + 3
                    + min(15, max(0, cfg.quiet_left)))
            if time.monotonic() + need > deadline:
                result["steps"].append({"c": c, "status": "skipped",
                                        "error": "time budget of the run exhausted"})
                continue
            if not server.alive():
                result["steps"].append({"c": c, "status": "failed",
                                        "error": f"server exited: {server.log_tail(5)}"})
                result["status"] = "crashed"
                continue
            seed = seed_base * 100 + i * 2 + 1
            quiet = wait_for_quiet(cfg, min(15, cfg.quiet_left)) if cfg.quiet_wait else None
            if cfg.warmup > 0:
                warm = run_wrk(port, path, c, cfg.warmup, cfg, seed, marker)
                cooldown(server.pid, cfg.cooldown)
            step = measure_step(server, sandbox, port, path, c, cfg, seed + 1, marker, is_vouch)
            if cfg.warmup > 0:
                step["warmup_errors"] = (warm.get("failed") or
                                         sum(warm[k] for k in ("non2xx", "timeout", "connect",
                                                               "read", "write")))
            if quiet:
                step["quiet_wait_s"], step["others_cores_before"] = quiet
            step["cooldown_s"] = cooldown(server.pid, cfg.cooldown)
            result["steps"].append(step)
            if step["status"] == "ok":
                log(f"{name} {mode} C={c}: {step['rps']} req/s, p50 {step['p50_ms']:.1f} "
                    f"p99 {step['p99_ms']:.1f} ms, errors {step['errors_total']}, "
                    f"degraded {step['degraded']}, cpu {step['cpu_ms_per_req']} ms/req, "
                    f"other load {step['others_cores']} cores"
                    + (f", max {step['max_ms']:.0f} ms, unverified answers "
                       f"{step.get('unverified_answers')}, provider calls/sub "
                       f"{step.get('provider_calls_per_sub', '–')}, cache hits "
                       f"{step.get('cache_hit_share', '–')}"
                       if cfg.scenario == "realistic" else ""))
            else:
                log(f"{name} {mode} C={c}: FAILED {step.get('error')}")
        # VmHWM is a lifetime peak: read once, after the highest step, per process
        pids = proc_tree(server.pid)
        total, each = status_kib(pids, "VmHWM")
        result["peak_rss_kib"] = total
        result["peak_rss_processes"] = len(each)
        result["peak_rss_each_kib"] = sorted(each.values(), reverse=True)
        if not server.alive():
            result["status"] = "crashed"
    except Exception as e:  # noqa: BLE001 - a failing server is data, not a reason to stop
        result["status"] = "failed"
        result["error"] = f"{type(e).__name__}: {e}"
        log(f"{name} {mode}: FAILED: {result['error']}")
    finally:
        if server:
            server.stop()
        sandbox.stop()
    return result


# --- main -----------------------------------------------------------------------------------

def detect_sandbox(cfg):
    """Use `vouch sandbox` when the binary has it with --latency/--jitter; else the stand-in."""
    if cfg.sandbox != "auto":
        return cfg.sandbox, "chosen with --sandbox"
    if not (cfg.vouch_bin and os.access(cfg.vouch_bin, os.X_OK)):
        return "standin", f"no vouch binary at {cfg.vouch_bin}"
    try:
        out = subprocess.run([cfg.vouch_bin, "sandbox", "--help"], capture_output=True,
                             text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "standin", f"`vouch sandbox --help` failed: {e}"
    text = out.stdout + out.stderr
    missing = [f for f in scenario_flags(cfg.scen) if f not in text]
    if out.returncode == 0 and missing:
        return "standin", f"`vouch sandbox --help` lacks {', '.join(missing)}"
    if out.returncode == 0 and "--latency" in text and "--jitter" in text:
        # The sandbox imitates Lob's 300 requests / 5 s per key, which any step above ~50
        # submissions/s exceeds (429 -> unverified addresses). Lift it when the CLI allows.
        if "--lob-rate-limit" in text and "--lob-rate-limit" not in " ".join(cfg.sandbox_args):
            cfg.sandbox_args += ["--lob-rate-limit", "off"]
        return "vouch", "vouch sandbox --help shows --latency and --jitter"
    return "standin", "`vouch sandbox --help` lacks --latency/--jitter"


def scenario_flags(sc):
    """The `vouch sandbox` flags a scenario needs beyond --latency and --jitter."""
    flags = ["--seed"] if sc["seed"] is not None else []
    return flags + (["--error-rate", "--timeout-rate"]
                    if sc["error_rate"] or sc["timeout_rate"] else [])


def parse_latency_ms(text):
    out = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
        if not m:
            raise SystemExit(f"--latency: cannot parse {part!r}")
        out[name.strip()] = float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
    if set(out) != {"eva", "lob", "veriphone"}:
        raise SystemExit("--latency must name eva, lob and veriphone")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=PROFILES, default="full")
    ap.add_argument("--scenario", choices=SCENARIOS, default="perfect",
                    help="perfect: fixed latency, no faults, unique submissions; realistic: "
                         "heavy-tailed latency, faults, repeated submissions (see SCENARIOS)")
    ap.add_argument("--servers", help="comma list of " + ",".join(SERVERS))
    ap.add_argument("--modes", default="concurrent,sequential")
    ap.add_argument("--steps", help="comma list of concurrency levels")
    ap.add_argument("--duration", type=int, help="seconds per measured step")
    ap.add_argument("--warmup", type=int, help="seconds of warm-up before each step (0: none)")
    ap.add_argument("--singles", type=int, help="single submissions per server and mode")
    ap.add_argument("--timeout", type=int,
                    help="per-request timeout of the load generator, seconds (default: the "
                         "scenario's, 5 perfect, 10 realistic)")
    ap.add_argument("--budget", type=int, help="seconds; steps that would overrun are skipped")
    ap.add_argument("--cooldown", type=float, help="max seconds to wait for an idle server")
    ap.add_argument("--quiet-wait", type=float,
                    help="total seconds the run may wait for other users' CPU load to drop "
                         "before steps (≤ 15 s per step; 0: never wait)")
    ap.add_argument("--latency", default=FIXED_LATENCY)
    ap.add_argument("--sandbox", choices=["auto", "vouch", "standin"], default="auto")
    ap.add_argument("--sandbox-args", default="", help="extra arguments for `vouch sandbox`")
    ap.add_argument("--vouch-bin", default=os.path.join(ROOT, "target", "release", "vouch"))
    ap.add_argument("--vouch-build", default="release",
                    help="how --vouch-bin was built, for the report (bench/run fills it in)")
    ap.add_argument("--python", default=sys.executable, help="python of the peers' venv")
    ap.add_argument("--out", required=True, help="directory for results.json and logs/")
    ap.add_argument("--check", action="store_true",
                    help="exit 3 unless every server ran every step with zero errors")
    cfg = ap.parse_args()
    prof = PROFILES[cfg.profile]
    cfg.scen = SCENARIOS[cfg.scenario]
    if cfg.timeout is None:
        cfg.timeout = cfg.scen["client_timeout_s"]
    budget_given = cfg.budget is not None
    for key in ("duration", "warmup", "singles", "budget", "cooldown", "quiet_wait"):
        if getattr(cfg, key) is None:
            setattr(cfg, key, prof[key])
    cfg.steps = [int(x) for x in (cfg.steps.split(",") if cfg.steps else prof["steps"])]
    servers = (cfg.servers or prof["servers"]).split(",")
    modes = cfg.modes.split(",")
    if not budget_given:
        # The profiles' budgets are for undrained steps; a drained step also waits longer for
        # the server to go idle (calls stalled at the end), ~3 s.
        extra = cfg.scen["drain_s"] + 3 if cfg.scen["drain_s"] else 0
        cfg.budget += extra * len(cfg.steps) * len(servers) * len(modes)
    for s in servers:
        if s not in SERVERS:
            raise SystemExit(f"unknown server {s!r}")
    for m in modes:
        if m not in MODES:
            raise SystemExit(f"unknown mode {m!r}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (bench/run installs it)")
    cfg.sandbox_args = cfg.sandbox_args.split()
    cfg.quiet_left = cfg.quiet_wait
    latency = parse_latency_ms(cfg.latency)
    cfg.logdir = os.path.join(cfg.out, "logs")
    os.makedirs(cfg.logdir, exist_ok=True)

    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    started = time.monotonic()
    deadline = started + cfg.budget
    cfg.sandbox, sandbox_why = detect_sandbox(cfg)
    if cfg.sandbox == "standin" and scenario_flags(cfg.scen):
        raise SystemExit(f"the {cfg.scenario} scenario needs `vouch sandbox` with "
                         f"{', '.join(scenario_flags(cfg.scen))} (the stand-in has no faults); "
                         f"providers: {sandbox_why}")
    if cfg.sandbox == "standin":
        log(f"providers: STAND-IN sandbox ({sandbox_why}); numbers are not publishable")
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if nofile < 2 * max(cfg.steps) + 256:
        log(f"warning: ulimit -n is {nofile}; C={max(cfg.steps)} may fail (bench/run raises it)")
    results = {
        "schema": 1, "profile": cfg.profile, "scenario": cfg.scenario,
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {"steps": cfg.steps, "duration_s": cfg.duration, "warmup_s": cfg.warmup,
                   "singles": cfg.singles, "timeout_s": cfg.timeout, "budget_s": cfg.budget,
                   "quiet_wait_s": cfg.quiet_wait, "cooldown_max_s": cfg.cooldown,
                   "latency_ms": latency, "jitter": cfg.scen["jitter"], "modes": modes,
                   "scenario": cfg.scenario, "scenario_params": cfg.scen,
                   "peer_timeout_s": float(os.environ.get("PEER_PROVIDER_TIMEOUT_S",
                                                          PEER_TIMEOUT_S)),
                   "vouch_policy": VOUCH_POLICY,
                   "floor_ms": {"concurrent": max(latency.values()),
                                "sequential": sum(latency.values())},
                   "sandbox": cfg.sandbox, "sandbox_why": sandbox_why,
                   "sandbox_cmd": " ".join(os.path.relpath(a, ROOT) if a.startswith("/") else a
                                           for a in sandbox_cmd(cfg, 0)).replace(":0 ", ":PORT "),
                   "loadgen": "wrk", "nofile": nofile, "servers": servers,
                   "vouch_build": cfg.vouch_build},
        "servers": [],
    }
    if cfg.quiet_wait:
        wait_for_quiet(cfg, min(15, cfg.quiet_left))
    results["sandbox_check"] = sandbox_self_check(cfg)
    log(f"sandbox self-check (median of direct calls): {results['sandbox_check']}")
    out_json = os.path.join(cfg.out, "results.json")
    for si, name in enumerate(servers):
        entry = {"id": name, **SERVERS[name], "modes": {}}
        if name == "vouch":
            entry["binary"] = cfg.vouch_bin
            entry["about"] = (f"`{os.path.relpath(cfg.vouch_bin, ROOT)} serve`, "
                              f"{cfg.vouch_build}; {entry['about']}")
        results["servers"].append(entry)
        for mi, mode in enumerate(modes):
            if name == "vouch" and not os.access(cfg.vouch_bin, os.X_OK):
                entry["modes"][mode] = {"status": "failed", "steps": [], "single": None,
                                        "error": f"no executable at {cfg.vouch_bin}"}
                log(f"vouch {mode}: FAILED: no executable at {cfg.vouch_bin}")
                continue
            log(f"== {name} {mode} ==")
            entry["modes"][mode] = run_mode(name, mode, cfg, deadline, 1 + si * 10 + mi)
            with open(out_json, "w") as f:       # keep partial results if we die later
                json.dump(results, f, indent=1)
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    results["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
        timespec="seconds")
    with open(out_json, "w") as f:
        json.dump(results, f, indent=1)
    log(f"results: {out_json} ({results['elapsed_s']} s)")

    if cfg.check:
        problems = check_clean(results, cfg.scenario)
        for p in problems:
            log(f"CHECK FAILED: {p}")
        if problems:
            sys.exit(3)
        log("check: every server ran every step with zero errors")


def check_clean(results, scenario):
    """Every server ran every step with zero errors. Perfect world: and no provider failed;
    realistic: provider failures are the scenario (answers with an unverified field expected)."""
    faults_expected = scenario == "realistic"
    problems = []
    for srv in results["servers"]:
        for mode, r in srv["modes"].items():
            where = f"{srv['id']} {mode}"
            if r["status"] != "ok":
                problems.append(f"{where}: {r['status']} {r.get('error', '')}")
                continue
            single = r.get("single") or {}
            if single.get("errors") or not single.get("count"):
                problems.append(f"{where}: single submissions: {single.get('error_samples')}")
            if single.get("degraded") and not faults_expected:
                problems.append(f"{where}: single submissions: {single['degraded']} provider failures")
            for st in r["steps"]:
                if st["status"] != "ok":
                    problems.append(f"{where} C={st['c']}: {st['status']} {st.get('error')}")
                elif st["errors_total"] or not st["ok"]:
                    problems.append(f"{where} C={st['c']}: errors {st['errors']}, "
                                    f"ok {st['ok']}")
                elif st.get("unanswered"):
                    problems.append(f"{where} C={st['c']}: {st['unanswered']} requests "
                                    f"unanswered")
                elif st.get("degraded") and not faults_expected:
                    problems.append(f"{where} C={st['c']}: {st['degraded']} "
                                    f"{st.get('degraded_unit')}")
    return problems


if __name__ == "__main__":
    main()
