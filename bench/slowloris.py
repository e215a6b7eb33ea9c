#!/usr/bin/env python3
"""Slowloris against vouch on loopback, bounded in time and connections.

    bench/slowloris.py [--vouch-bin target/release/vouch] [--connections 500] [--duration 20]

Starts `vouch sandbox` (fixed latency, no jitter) and `vouch serve` against it (no rate limit,
no verdict cache, sign-ups in a scratch SQLite file), then measures a normal client (a few
loops posting the tutorial's form to /async, a new connection each) twice for --duration
seconds: alone, and while another process holds --connections
connections that dribble header bytes and reconnect whenever vouch closes one. Prints and
writes (bench/out/slowloris-*.json) the normal client's latency over the sandbox's latency
(p50, p99, max), its errors, and how many slow connections were open at once.

Standard library only. Loopback only. Every process it starts is stopped by its own PID.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, free_ports  # noqa: E402
FORM = (b"firstName=Jane&lastName=Doe&email=jane.doe%40example.com&phoneNumber=%28202%29+456-1111"
        b"&address=2600+Pearl+St&address2=&city=Boulder&state=CO&zip=80302")


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


def wait_healthy(port, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"process {proc.pid} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"port {port} not healthy after {seconds} s")


# ---- the attacker (a process of its own, so its work does not delay the normal client) ----

async def slow_connection(port, stats, stop_at, interval):
    """One slot: connect, send a request line, then one header byte per interval; reconnect
    whenever the server closes it, until stop_at."""
    while time.monotonic() < stop_at:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(interval)
            continue
        opened = time.monotonic()
        stats["opened"] += 1
        stats["open"] += 1
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            await writer.drain()
            while time.monotonic() < stop_at:
                for byte in b"X-Slow: a\r\n":
                    writer.write(bytes([byte]))
                    await writer.drain()
                    # Waiting for the next byte's turn: any answer (a 408, or the end of
                    # the stream) means the server has given up on this connection.
                    try:
                        await asyncio.wait_for(reader.read(1024), timeout=interval)
                    except asyncio.TimeoutError:
                        if time.monotonic() >= stop_at:
                            break
                        continue
                    raise ConnectionResetError
        except (ConnectionError, OSError):
            stats["closed_by_server"] += 1
            stats["lifetimes"].append(time.monotonic() - opened)
        finally:
            stats["open"] -= 1
            writer.close()


async def attack(port, connections, seconds, interval, report_path):
    stats = {"opened": 0, "open": 0, "closed_by_server": 0, "refused": 0, "lifetimes": [],
             "open_samples": []}
    stop_at = time.monotonic() + seconds
    tasks = [asyncio.create_task(slow_connection(port, stats, stop_at, interval))
             for _ in range(connections)]
    while time.monotonic() < stop_at:
        await asyncio.sleep(0.5)
        stats["open_samples"].append(stats["open"])
        with open(report_path + ".live", "w") as f:
            f.write(str(stats["open"]))
    await asyncio.gather(*tasks, return_exceptions=True)
    lifetimes = sorted(stats.pop("lifetimes"))
    stats["median_lifetime_s"] = round(statistics.median(lifetimes), 2) if lifetimes else None
    with open(report_path, "w") as f:
        json.dump(stats, f)


# ---- the normal client ----

async def one_submission(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"POST /async HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: " + str(len(FORM)).encode() + b"\r\n\r\n" + FORM)
        await writer.drain()
        response = await reader.read()
        return response.startswith(b"HTTP/1.1 200")
    finally:
        writer.close()


async def normal_client(port, seconds, loops):
    latencies, errors = [], 0
    stop_at = time.monotonic() + seconds

    async def loop():
        nonlocal errors
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                ok = await asyncio.wait_for(one_submission(port), timeout=10)
            except (OSError, asyncio.TimeoutError):
                ok = False
            if ok:
                latencies.append(time.monotonic() - started)
            else:
                errors += 1
    await asyncio.gather(*(loop() for _ in range(loops)))
    return latencies, errors


def summary(latencies, errors, latency_ms):
    over = sorted((x * 1000 - latency_ms) for x in latencies)
    if not over:
        return {"requests": 0, "errors": errors}
    p = lambda q: round(over[min(len(over) - 1, int(q * len(over)))], 1)  # noqa: E731
    return {"requests": len(over), "errors": errors, "p50_over_ms": p(0.50),
            "p99_over_ms": p(0.99), "max_over_ms": round(over[-1], 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vouch-bin", default=os.path.join(ROOT, "target", "release", "vouch"))
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between header bytes")
    ap.add_argument("--latency-ms", type=int, default=100, help="sandbox latency, fixed")
    ap.add_argument("--loops", type=int, default=4, help="normal client loops")
    ap.add_argument("--attack-only", nargs=2, metavar=("PORT", "REPORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    raise_fd_limit()
    if args.attack_only:
        port, report = args.attack_only
        asyncio.run(attack(int(port), args.connections, args.duration + 5, args.interval, report))
        return

    os.makedirs(os.path.join(ROOT, "bench", "out"), exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = os.path.join(ROOT, "bench", "out", f"slowloris-{stamp}.json")
    sport, port = free_ports(2)
    base = f"http://127.0.0.1:{sport}"
    scratch = tempfile.mkdtemp(prefix="vouch-slowloris-")
    env = dict(os.environ, RUST_LOG="warn", VOUCH_LISTEN=f"127.0.0.1:{port}",
               EVA_BASE_URL=base, LOB_BASE_URL=base, VERIPHONE_BASE_URL=base,
               VOUCH_PROVIDER_H2C="on",
               # One address sends every submission: this run is about connections.
               VOUCH_RATE_LIMIT="off",
               # The same form each time: without this, answers after the first come from
               # the verdict cache and no submission waits on the sandbox.
               VOUCH_CACHE_TTL="off",
               DATABASE_URL=f"sqlite://{scratch}/signups.db")
    procs = []
    try:
        sandbox = subprocess.Popen(
            [args.vouch_bin, "sandbox", "--listen", f"127.0.0.1:{sport}",
             "--latency", f"{args.latency_ms}ms", "--jitter", "off", "--lob-rate-limit", "off"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(sandbox)
        wait_healthy(sport, sandbox)
        server = subprocess.Popen([args.vouch_bin, "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(server)
        wait_healthy(port, server)
        asyncio.run(normal_client(port, 2, 1))  # warm-up
        alone = summary(*asyncio.run(normal_client(port, args.duration, args.loops)),
                        args.latency_ms)
        attacker = subprocess.Popen(
            [sys.executable, __file__, "--attack-only", str(port), report + ".attack",
             "--connections", str(args.connections), "--duration", str(args.duration),
             "--interval", str(args.interval)])
        procs.append(attacker)
        live = report + ".attack.live"
        ramp = time.monotonic() + 5
        while time.monotonic() < ramp:
            time.sleep(0.2)
            if os.path.exists(live) and int(open(live).read() or 0) >= args.connections:
                break
        attacked = summary(*asyncio.run(normal_client(port, args.duration, args.loops)),
                           args.latency_ms)
        attacker.wait(timeout=args.duration + 30)
        with open(report + ".attack") as f:
            slow = json.load(f)
        samples = slow.pop("open_samples")
        slow["open_min"], slow["open_max"] = min(samples), max(samples)
        slow["open_median"] = statistics.median(samples)
        result = {"vouch_bin": args.vouch_bin, "connections": args.connections,
                  "duration_s": args.duration, "byte_interval_s": args.interval,
                  "sandbox_latency_ms": args.latency_ms, "normal_loops": args.loops,
                  "alone": alone, "under_slowloris": attacked, "slow_connections": slow}
        with open(report, "w") as f:
            json.dump(result, f, indent=1)
        for path in (report + ".attack", live):
            if os.path.exists(path):
                os.remove(path)
        print(json.dumps(result, indent=1))
        print(f"report: {os.path.relpath(report, ROOT)}")
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
