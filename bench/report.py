#!/usr/bin/env python3
"""results.json (from harness.py) -> BENCHMARKS.md + SVG charts. Standard library only.

The charts are drawn here as plain SVG (log-log axes, one line per server, the Little's-law
ceiling or the latency floor dashed); every SVG is parsed back before the report is written.
"""

import argparse
import math
import os
import sys
import xml.etree.ElementTree as ET

COLORS = {"vouch": "#d9480f", "fastapi": "#1c7ed6", "flask-gunicorn": "#2f9e44",
          "flask-run": "#7048e8"}
MODE_ROUTE = {"concurrent": "POST /async", "sequential": "POST /sync"}
AIOHTTP_PEER = "fastapi"
MIB = 1024


# --- helpers ----------------------------------------------------------------------------

def fmt(x, digits=1):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def steps_of(server, mode):
    return (server["modes"].get(mode) or {}).get("steps") or []


def step_at(server, mode, c):
    for st in steps_of(server, mode):
        if st["c"] == c and st["status"] == "ok":
            return st
    return None


def server_by_id(results, sid):
    return next((s for s in results["servers"] if s["id"] == sid), None)


# --- SVG --------------------------------------------------------------------------------

NICE = (1, 1.5, 2, 3, 4, 5, 7)


def nice_values(lo, hi, mantissas):
    out = []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 2):
        out += [m * 10 ** e for m in mantissas]
    return out


def log_bounds(lo, hi):
    """Round bounds a little outside [lo, hi] on a log axis, on values that get a tick."""
    vals = nice_values(lo, hi, NICE if hi / lo < 8 else (1, 2, 5))
    return max(v for v in vals if v <= lo * 0.97), min(v for v in vals if v >= hi * 1.03)


def log_ticks(lo, hi):
    ratio = hi / lo
    mantissas = ((1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9) if ratio < 4 else
                 NICE if ratio < 12 else (1, 2, 5))
    return [v for v in nice_values(lo, hi, mantissas) if lo <= v * (1 + 1e-9) and v <= hi * (1 + 1e-9)]


def tick_label(v):
    if v >= 1000:
        return f"{v / 1000:g}k"
    if v < 1:
        return f"{v:.2g}"
    return f"{v:g}"


def svg_chart(path, title, xlabel, ylabel, xs, series, reference):
    """series: [(label, color, [(x, y, had_errors)])]; reference: (label, [(x, y)]) dashed."""
    W, H, L, R, T, B = 760, 440, 70, 220, 40, 56
    pts = [p for _, _, s in series for p in s] + [(x, y, False) for x, y in reference[1]]
    ys = [p[1] for p in pts if p[1] and p[1] > 0]
    if not ys:
        ys = [1, 10]
    ylo, yhi = log_bounds(min(ys), max(ys))
    xlo, xhi = min(xs), max(xs)
    lx = lambda x: L + (math.log(x / xlo) / math.log(xhi / xlo) if xhi > xlo else 0.5) * (W - L - R)
    ly = lambda y: H - B - math.log(max(y, ylo) / ylo) / math.log(yhi / ylo) * (H - T - B)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="#ffffff"/>',
           f'<text x="{L}" y="24" font-size="15" font-weight="bold">{esc(title)}</text>']
    for v in log_ticks(ylo, yhi):
        y = ly(v)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#e9ecef"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{tick_label(v)}</text>')
    for x in xs:
        X = lx(x)
        out.append(f'<line x1="{X:.1f}" y1="{T}" x2="{X:.1f}" y2="{H - B}" stroke="#e9ecef"/>')
        out.append(f'<text x="{X:.1f}" y="{H - B + 16}" text-anchor="middle">{x}</text>')
    out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" '
               f'stroke="#868e96"/>')
    out.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 14}" text-anchor="middle">'
               f'{esc(xlabel)}</text>')
    out.append(f'<text transform="translate(16 {(T + H - B) / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle">{esc(ylabel)}</text>')

    def polyline(points, color, dash=""):
        if len(points) > 1:
            d = " ".join(f"{lx(x):.1f},{ly(y):.1f}" for x, y in points)
            out.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"'
                       f'{dash}/>')

    ref_label, ref_pts = reference
    polyline(ref_pts, "#495057", ' stroke-dasharray="6 4"')
    legend = [(ref_label, "#495057", True)]
    for label, color, s in series:
        s = [p for p in s if p[1] and p[1] > 0]
        polyline([(x, y) for x, y, _ in s], color)
        for x, y, bad in s:
            fill = "#ffffff" if bad else color
            out.append(f'<circle cx="{lx(x):.1f}" cy="{ly(y):.1f}" r="4" fill="{fill}" '
                       f'stroke="{color}" stroke-width="2"/>')
        legend.append((label, color, False))
    for i, (label, color, dashed) in enumerate(legend):
        y = T + 14 + i * 20
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(f'<line x1="{W - R + 14}" y1="{y}" x2="{W - R + 38}" y2="{y}" '
                   f'stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{W - R + 44}" y="{y + 4}">{esc(label)}</text>')
    y = T + 14 + len(legend) * 20 + 6
    out.append(f'<circle cx="{W - R + 26}" cy="{y}" r="4" fill="#ffffff" stroke="#495057" '
               f'stroke-width="2"/><text x="{W - R + 44}" y="{y + 4}">step had errors</text>')
    out.append("</svg>")
    text = "\n".join(out) + "\n"
    ET.fromstring(text)                     # must be well-formed
    with open(path, "w") as f:
        f.write(text)


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def charts(results, chart_dir):
    os.makedirs(chart_dir, exist_ok=True)
    cfg = results["config"]
    made = {}
    for mode in cfg["modes"]:
        floor = cfg["floor_ms"][mode]
        xs = cfg["steps"]
        thr, p99 = [], []
        for srv in results["servers"]:
            ok = [st for st in steps_of(srv, mode) if st["status"] == "ok"]
            if not ok:
                continue
            color = COLORS.get(srv["id"], "#000000")
            label = srv.get("short", srv["label"])
            thr.append((label, color,
                        [(st["c"], st["rps"], st["errors_total"] > 0) for st in ok]))
            p99.append((label, color,
                        [(st["c"], st["p99_ms"], st["errors_total"] > 0) for st in ok]))
        route = MODE_ROUTE[mode]
        f1 = os.path.join(chart_dir, f"throughput-{mode}.svg")
        svg_chart(f1, f"Throughput vs concurrency, {mode} ({route})", "concurrent clients C",
                  "successful submissions / s",
                  xs, thr, (f"ceiling C / {floor:g} ms", [(c, c * 1000 / floor) for c in xs]))
        f2 = os.path.join(chart_dir, f"p99-{mode}.svg")
        svg_chart(f2, f"p99 latency vs concurrency, {mode} ({route})", "concurrent clients C",
                  "p99 latency, ms", xs, p99, (f"floor {floor:g} ms", [(c, floor) for c in xs]))
        made[mode] = (f1, f2)
    return made


# --- tables -----------------------------------------------------------------------------

def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def errors_text(st):
    if not st["errors_total"]:
        return "0"
    parts = [f"{k} {v}" for k, v in st["errors"].items() if v]
    return f"**{st['errors_total']}** ({', '.join(parts)})"


def step_table(results, mode):
    cfg = results["config"]
    floor = cfg["floor_ms"][mode]
    header = ["C", "server", "req/s", "% of ceiling", "p50 ms", "p90 ms", "p99 ms",
              "p99 / floor", "errors", "unverified", "CPU ms / sub", "other load (cores)"]
    rows = []
    for c in cfg["steps"]:
        ceiling = c * 1000 / floor
        rows.append([c, "*ceiling C / floor*", f"*{fmt(ceiling)}*", "*100 %*", f"*{floor:g}*",
                     f"*{floor:g}*", f"*{floor:g}*", "*1.00*", "", "", "", ""])
        for srv in results["servers"]:
            m = srv["modes"].get(mode)
            if m is None:
                continue
            st = next((s for s in m.get("steps", []) if s["c"] == c), None)
            if st is None:
                why = m.get("error") or m.get("status")
                rows.append([c, srv["label"], f"not run: {esc_md(why)}"] + [""] * 9)
            elif st["status"] != "ok":
                rows.append([c, srv["label"], f"{st['status']}: {esc_md(st.get('error'))}"]
                            + [""] * 9)
            else:
                rows.append([c, srv["label"], fmt(st["rps"]), f"{100 * st['rps'] / ceiling:.1f} %",
                             fmt(st["p50_ms"]), fmt(st["p90_ms"]), fmt(st["p99_ms"]),
                             f"{st['p99_ms'] / floor:.2f}", errors_text(st),
                             fmt(st.get("degraded")), fmt(st.get("cpu_ms_per_req"), 2),
                             fmt(st.get("others_cores"), 2)])
    return table(header, rows)


def esc_md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")[:160]


def single_table(results):
    cfg = results["config"]
    fc, fs = cfg["floor_ms"]["concurrent"], cfg["floor_ms"]["sequential"]
    sc = results.get("sandbox_check") or {}
    meds = [v["median_ms"] for k, v in sc.items() if k != "error"] if "error" not in sc else []
    # the floor as the sandbox really serves it: slowest call / sum of the calls
    mc, ms = (max(meds), sum(meds)) if len(meds) == 3 else (None, None)
    rows = []
    for srv in results["servers"]:
        def single(mode):
            m = srv["modes"].get(mode) or {}
            return (m.get("single") or {}).get("median_ms"), (m.get("single") or {})
        c, cs = single("concurrent")
        s, ss = single("sequential")
        errs = (cs.get("errors") or 0) + (ss.get("errors") or 0)
        rows.append([srv["label"], fmt(c, 2), over(c, fc), over(c, mc), fmt(s, 2),
                     over(s, fs), over(s, ms), f"{s / c:.2f}×" if c and s else "–", errs])
    return table(["server", "concurrent median ms", "above floor", "above sandbox",
                  "sequential median ms", "above floor", "above sandbox",
                  "sequential / concurrent", "errors"], rows)


def over(x, floor):
    return "–" if x is None or floor is None else f"{x - floor:+.2f} ms"


def rss_table(results):
    rows = []
    for srv in results["servers"]:
        cells = [srv["label"]]
        procs = None
        for mode in results["config"]["modes"]:
            m = srv["modes"].get(mode) or {}
            cells.append(fmt(m["peak_rss_kib"] / MIB, 1) if m.get("peak_rss_kib") else "–")
            procs = m.get("peak_rss_processes") or procs
        cells.insert(1, procs or "–")
        rows.append(cells)
    return table(["server", "processes summed"]
                 + [f"peak RSS {m}, MiB" for m in results["config"]["modes"]], rows)


def targets(results):
    cfg = results["config"]
    fc = cfg["floor_ms"]["concurrent"]
    fs = cfg["floor_ms"]["sequential"]
    v = server_by_id(results, "vouch")
    a = server_by_id(results, AIOHTTP_PEER)
    rows = []

    def add(name, limit, value, ok):
        status = "n/a" if ok is None else ("**pass**" if ok else "**FAIL**")
        rows.append([name, limit, value, status])

    def single(srv, mode):
        return ((srv or {}).get("modes", {}).get(mode) or {}).get("single") or {}

    sc = single(v, "concurrent").get("median_ms")
    add("single submission, concurrent: p50", f"≤ {fc + 2:g} ms (floor + 2)", fmt(sc, 2),
        None if sc is None else sc <= fc + 2)
    ss = single(v, "sequential").get("median_ms")
    add("single submission, sequential: p50", f"≤ {fs + 3:g} ms (floor + 3)", fmt(ss, 2),
        None if ss is None else ss <= fs + 3)
    for c, share, p99x in ((256, 0.95, 1.15), (1024, 0.85, 1.3)):
        st = step_at(v, "concurrent", c) if v else None
        ceiling = c * 1000 / fc
        add(f"concurrent C={c}: throughput", f"≥ {share:.0%} of {fmt(ceiling)} = "
            f"{fmt(share * ceiling)} req/s", fmt(st and st["rps"]),
            None if st is None else st["rps"] >= share * ceiling)
        if c == 1024:
            pst = step_at(a, "concurrent", c) if a else None
            add(f"concurrent C={c}: vs the aiohttp peer ({a['label'] if a else AIOHTTP_PEER})",
                "≥ 1.75×",
                f"{st['rps'] / pst['rps']:.2f}× ({fmt(st['rps'])} / {fmt(pst['rps'])})"
                if st and pst and pst["rps"] else "–",
                None if not (st and pst) else (pst["rps"] == 0 or
                                               st["rps"] >= 1.75 * pst["rps"]))
        add(f"concurrent C={c}: p99", f"≤ {p99x}× floor = {p99x * fc:g} ms",
            fmt(st and st["p99_ms"]), None if st is None else st["p99_ms"] <= p99x * fc)
        add(f"concurrent C={c}: errors", "0", st["errors_total"] if st else "–",
            None if st is None else st["errors_total"] == 0)
    # CPU per submission: concurrent mode at C=256 (both still inside their capacity);
    # fall back to the highest step both ran cleanly.
    cpu_c = None
    for c in [256] + sorted(cfg["steps"], reverse=True):
        sv, sa = (step_at(v, "concurrent", c) if v else None,
                  step_at(a, "concurrent", c) if a else None)
        if sv and sa and sv.get("cpu_ms_per_req") and sa.get("cpu_ms_per_req"):
            cpu_c = (c, sv["cpu_ms_per_req"], sa["cpu_ms_per_req"])
            break
    if cpu_c:
        c, cv, ca = cpu_c
        add(f"CPU per submission (concurrent, C={c})", "≤ 1/10 of the aiohttp peer's",
            f"{cv:.3f} vs {ca:.3f} ms (1/{ca / cv:.1f})" if cv else f"{cv} vs {ca}",
            cv <= ca / 10)
    else:
        add("CPU per submission", "≤ 1/10 of the aiohttp peer's", "–", None)
    peaks = []
    for mode in cfg["modes"]:
        m = (v or {}).get("modes", {}).get(mode) or {}
        if m.get("peak_rss_kib") and step_at(v, mode, 1024):
            peaks.append(m["peak_rss_kib"])
    add("peak RSS after C=1024 (VmHWM, both modes)", "≤ 64 MiB",
        f"{max(peaks) / MIB:.1f} MiB" if peaks else "–",
        None if not peaks else max(peaks) <= 64 * MIB)
    return table(["target (vouch)", "limit", "measured", "result"], rows)


# --- the document -----------------------------------------------------------------------

def warnings(results):
    cfg = results["config"]
    w = []
    if cfg["sandbox"] != "vouch":
        w.append(f"Providers were simulated by the **stand-in** (`bench/standin_sandbox.py`, "
                 f"{cfg['sandbox_why']}), not by `vouch sandbox`: these numbers only show "
                 f"that the harness works.")
    if results["profile"] != "full":
        w.append(f"Profile `{results['profile']}` ({cfg['duration_s']} s per step, "
                 f"{cfg['singles']} single submissions): not the full run.")
    busy = [st.get("others_cores", 0) for s in results["servers"]
            for m in s["modes"].values() for st in m.get("steps", []) if st["status"] == "ok"]
    if busy and max(busy) > 0.25:
        w.append(f"Other work shared the machine during some steps (up to "
                 f"{max(busy):.2f} of {results['machine']['nproc']} cores, column "
                 f"*other load*): those steps are pessimistic.")
    for s in results["servers"]:
        for mode, m in s["modes"].items():
            if m.get("status") != "ok":
                w.append(f"{s['label']}, {mode}: **{m.get('status')}** "
                         f"{esc_md(m.get('error', ''))}")
            bad = [f"C={st['c']}: {st['degraded']}" for st in m.get("steps", [])
                   if st["status"] == "ok" and st.get("degraded")]
            if bad:
                unit = next(st.get("degraded_unit") for st in m["steps"] if st.get("degraded"))
                w.append(f"{s['label']}, {mode}: providers failed under load ({unit}: "
                         f"{', '.join(bad)}); those answers did less work than a full check.")
            for st in m.get("steps", []):
                if st["status"] == "ok" and s["id"] == "vouch" and st.get("calls_ok") is False:
                    lo, hi = st["calls_expected"]
                    w.append(f"vouch {mode} C={st['c']}: {st['calls_made']} provider calls, "
                             f"expected {lo}–{hi} (3 per submission): "
                             f"{st.get('provider_calls')}")
                if st["status"] == "ok" and s["id"] == "vouch" and \
                        st.get("provider_calls") is None:
                    w.append(f"vouch {mode} C={st['c']}: no vouch_provider_calls_total in "
                             f"/metrics, provider failures not checked")
    return w


def render(results, md_path, chart_dir):
    cfg, mach = results["config"], results["machine"]
    lat = cfg["latency_ms"]
    made = charts(results, chart_dir)
    rel = lambda p: os.path.relpath(p, os.path.dirname(os.path.abspath(md_path)))
    fc, fs = cfg["floor_ms"]["concurrent"], cfg["floor_ms"]["sequential"]
    L = []
    L.append("# Benchmarks\n")
    L.append(f"Generated by `bench/report.py` from one run of `bench/run` "
             f"(profile `{results['profile']}`, started {results['started']}, "
             f"{results.get('elapsed_s', '?')} s of measuring). Do not edit by hand: "
             f"rerun `bench/run` (see `bench/README.md`).\n")
    for w in warnings(results):
        L.append(f"> **Note:** {w}\n")
    L.append("## Method\n")
    L.append(
        f"* **Providers:** `{cfg['sandbox_cmd']}` in its own process, fixed latency "
        f"(Eva {lat['eva']:g} ms, Lob {lat['lob']:g} ms, Veriphone {lat['veriphone']:g} ms, "
        f"no jitter). Every server calls it over loopback HTTP.\n"
        f"* **Floor** (the least any server can take): concurrent mode = the slowest call = "
        f"**{fc:g} ms**; sequential mode = the sum = **{fs:g} ms**. **Ceiling** (Little's law): "
        f"C / floor submissions per second with C clients.\n"
        f"* **Load:** wrk (closed loop, keep-alive, {min(2, mach['nproc'])} threads), POST of the "
        f"urlencoded form (firstName … zip) to `/async` (concurrent) or `/sync` (sequential). "
        f"Every request carries unique email, phone and street number, so no cache can answer "
        f"for a provider. Steps C = {', '.join(map(str, cfg['steps']))}; each step is "
        f"{cfg['warmup_s']} s of warm-up (discarded), then {cfg['duration_s']} s measured; "
        f"before the warm-up the harness waits (≤ 15 s a step, ≤ {cfg.get('quiet_wait_s', 0):g} s "
        f"a run) for other users' load to drop below 0.3 cores, and after it for the server "
        f"to go idle (≤ {cfg.get('cooldown_max_s', '?')} s). Per-request timeout "
        f"{cfg['timeout_s']} s.\n"
        f"* **req/s**: 2xx answers per second in the steady part of the measured step, "
        f"weighted by a trapezoid (0 before 1 s, rising to 1 over 2 s, falling to 0 at the "
        f"end): with fixed provider latency a closed loop answers in synchronized waves, and "
        f"whole-step counting would lose the wave in flight at the end (−3 % at 300 ms / 10 s) "
        f"while a hard-edged window would gain or lose a wave at random. Steps with timeouts "
        f"use (answers − errors) / duration instead. **Latency** percentiles are wrk's, exact (1 µs buckets) over every answer "
        f"that arrived within the timeout. **Errors** = non-2xx + timeouts (answers that came "
        f"later than the timeout) + connect/read/write errors. A request still unanswered when "
        f"the step ends is not counted by wrk (it shows up as lower req/s).\n"
        f"* **unverified:** answers in which a provider did not answer (peers: fields marked "
        f"unverified on the page; vouch: provider calls with outcome error/timeout in "
        f"`/metrics`). Not errors, but a server that fails its providers is not doing the work.\n"
        f"* **CPU per submission:** utime+stime of the server process and all its children "
        f"(workers) from `/proc/PID/stat`, delta over the measured seconds / answers. Clock "
        f"ticks are 10 ms, so low-C steps are coarse. **other load:** CPU used on the machine "
        f"by anything but the server, the sandbox and wrk during the step (other users of a "
        f"shared machine), in cores.\n"
        f"* **Peak RSS:** `VmHWM` from `/proc/PID/status`, summed over all processes of the "
        f"server (master and workers). VmHWM is a lifetime peak, so it is read once per server "
        f"and mode, after its highest step; every server and mode gets a fresh process (and a "
        f"fresh sandbox).\n"
        f"* **Single submission:** {cfg['singles']} submissions one after another on one "
        f"keep-alive connection (after one unrecorded), median wall time seen by the client.\n")
    sc = results.get("sandbox_check") or {}
    if sc and "error" not in sc:
        L.append("The sandbox's own answer time, timed by calling it directly (median of 15 "
                 "on one keep-alive connection, at the start of the run): "
                 + ", ".join(f"{k} {v['median_ms']:g} ms (configured {lat[k]:g})"
                             for k, v in sc.items())
                 + ". Any server's answer includes this, so a server's overhead above the "
                 "floor is partly the sandbox's.\n")
    elif sc:
        L.append(f"Sandbox self-check failed: {esc_md(sc['error'])}\n")
    L.append("## Machine\n")
    L.append(table(["", ""], [
        ["CPUs (nproc)", mach["nproc"]], ["CPU model", mach["cpu_model"]],
        ["memory", mach["memory"]], ["kernel", mach["kernel"]], ["OS", mach["os"]],
        ["rustc", mach["rustc"]], ["Python (peers)", mach["python"]], ["wrk", mach["wrk"]],
        ["load average at start", " ".join(mach["loadavg_at_start"])],
        ["vouch commit", mach["git"]], ["vouch build", cfg.get("vouch_build", "release")]])
        + "\n")
    L.append("## Servers\n")
    L.append(table(["server", "what it is"],
                   [[s["label"], s["about"]] for s in results["servers"]]) + "\n")
    L.append("## Targets\n")
    L.append(targets(results) + "\n")
    L.append("## Single submission\n")
    L.append(f"Floor: {fc:g} ms concurrent, {fs:g} ms sequential. *Above sandbox*: above the "
             f"sandbox's own measured answer times (slowest call / sum of the three, see "
             f"Method), i.e. the server's own overhead.\n")
    L.append(single_table(results) + "\n")
    for mode in cfg["modes"]:
        L.append(f"## Under load: {mode} ({MODE_ROUTE[mode]}), floor {cfg['floor_ms'][mode]:g} ms\n")
        if mode in made:
            f1, f2 = made[mode]
            L.append(f"![throughput, {mode}]({rel(f1)})\n")
            L.append(f"![p99, {mode}]({rel(f2)})\n")
        L.append(step_table(results, mode) + "\n")
    L.append("## Peak memory\n")
    L.append(rss_table(results) + "\n")
    # Hand-written findings from tuning (what changed the numbers), kept next to the harness.
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")
    if os.path.exists(findings):
        with open(findings, encoding="utf-8") as f:
            L.append(f.read())
    with open(md_path, "w") as f:
        f.write("\n".join(L))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--md", required=True, help="where to write the Markdown report")
    ap.add_argument("--charts", required=True, help="directory for the SVG charts")
    args = ap.parse_args()
    import json
    with open(args.results) as f:
        results = json.load(f)
    render(results, args.md, args.charts)
    print(f"report: {args.md}, charts in {args.charts}", file=sys.stderr)


if __name__ == "__main__":
    main()
