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


def scenario_of(results):
    """`perfect` for results written before scenarios existed."""
    return results.get("scenario") or results["config"].get("scenario") or "perfect"


def realistic(results):
    return scenario_of(results) == "realistic"


def pct(part, whole, digits=1):
    return "–" if part is None or not whole else f"{100 * part / whole:.{digits}f} %"


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
        # With jitter and faults there is no floor; the perfect world's stays as a reference.
        ref = "perfect world: " if realistic(results) else ""
        where = f", {scenario_of(results)}" if realistic(results) else ""
        f1 = os.path.join(chart_dir, f"throughput-{mode}.svg")
        svg_chart(f1, f"Throughput vs concurrency, {mode} ({route}){where}",
                  "concurrent clients C", "successful submissions / s", xs, thr,
                  (f"{ref or 'ceiling '}C / {floor:g} ms", [(c, c * 1000 / floor) for c in xs]))
        f2 = os.path.join(chart_dir, f"p99-{mode}.svg")
        svg_chart(f2, f"p99 latency vs concurrency, {mode} ({route}){where}",
                  "concurrent clients C", "p99 latency, ms", xs, p99,
                  (f"{ref or 'floor '}{floor:g} ms", [(c, floor) for c in xs]))
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
            if bad and not realistic(results):      # there, failing providers are the point
                unit = next(st.get("degraded_unit") for st in m["steps"] if st.get("degraded"))
                w.append(f"{s['label']}, {mode}: providers failed under load ({unit}: "
                         f"{', '.join(bad)}); those answers did less work than a full check.")
            for st in m.get("steps", []):
                if st["status"] == "ok" and s["id"] == "vouch" and st.get("calls_ok") is False:
                    lo, hi = st["calls_expected"]
                    what = (f"{st.get('checks')} checks" if realistic(results)
                            else f"{st['calls_made']} provider calls")
                    w.append(f"vouch {mode} C={st['c']}: {what}, "
                             f"expected {lo}–{hi} (3 per submission): "
                             f"{st.get('provider_calls')}")
                if st["status"] == "ok" and s["id"] == "vouch" and \
                        st.get("provider_calls") is None:
                    w.append(f"vouch {mode} C={st['c']}: no vouch_provider_calls_total in "
                             f"/metrics, provider failures not checked")
    return w


def method_common(results):
    """Method bullets both scenarios share: how rates, latency, CPU, memory are measured."""
    cfg = results["config"]
    return [
        f"* **req/s**: 2xx answers per second in the steady part of the measured step, "
        f"weighted by a trapezoid (0 before 1 s, rising to 1 over 2 s, falling to 0 at the "
        f"end): with fixed provider latency a closed loop answers in synchronized waves, and "
        f"whole-step counting would lose the wave in flight at the end (−3 % at 300 ms / 10 s) "
        f"while a hard-edged window would gain or lose a wave at random. Steps with timeouts "
        f"use (answers − errors) / duration instead. "
        + (f"**Latency** percentiles: each request started in the measured seconds, timed from "
           f"its own start to its own answer (0.1 ms buckets, nearest rank); wrk ran "
           f"{cfg['scenario_params']['drain_s']:g} s longer under the same load so that the "
           f"slow ones are answered too. Not wrk's own percentiles: wrk 4.1 corrects its "
           f"histogram for coordinated omission, adding made-up samples below every answer "
           f"slower than twice the mean interval (with a 0.5 s interval, a 3 s answer adds "
           f"samples at 2.5, 2, 1.5 and 1 s), "
           f"and it loses the requests in flight when it stops, more often the slow ones "
           f"(`results.json` keeps wrk's as `wrk_latency_ms`). **Unanswered:** of those "
           f"requests, the ones still without an answer when wrk stopped, or answered by a page "
           f"that does not echo the form (an error page, also an error). **Errors** = non-2xx "
           f"+ timeouts (answers later than the timeout) + connect/read/write errors, over the "
           f"whole wrk run." if realistic(results) else
           f"**Latency** percentiles are wrk's, exact (1 µs buckets) over every answer "
           f"that arrived within the timeout. **Errors** = non-2xx + timeouts (answers that came "
           f"later than the timeout) + connect/read/write errors. A request still unanswered when "
           f"the step ends is not counted by wrk (it shows up as lower req/s)."),
        f"* **CPU per submission:** utime+stime of the server process and all its children "
        f"(workers) from `/proc/PID/stat`, delta over the measured seconds / answers. Clock "
        f"ticks are 10 ms, so low-C steps are coarse. **other load:** CPU used on the machine "
        f"by anything but the server, the sandbox and wrk during the step (other users of a "
        f"shared machine), in cores.",
        f"* **Peak RSS:** `VmHWM` from `/proc/PID/status`, summed over all processes of the "
        f"server (master and workers). VmHWM is a lifetime peak, so it is read once per server "
        f"and mode, after its highest step; every server and mode gets a fresh process (and a "
        f"fresh sandbox).",
        f"* **Single submission:** {cfg['singles']} submissions one after another on one "
        f"keep-alive connection (after one unrecorded), median wall time seen by the client.",
    ]


def load_bullet(results, every_request):
    cfg, mach = results["config"], results["machine"]
    return (
        f"* **Load:** wrk (closed loop, keep-alive, {min(2, mach['nproc'])} threads), POST of the "
        f"urlencoded form (firstName … zip) to `/async` (concurrent) or `/sync` (sequential). "
        f"{every_request} Steps C = {', '.join(map(str, cfg['steps']))}; each step is "
        f"{cfg['warmup_s']} s of warm-up (discarded), then {cfg['duration_s']} s measured; "
        f"before the warm-up the harness waits (≤ 15 s a step, ≤ {cfg.get('quiet_wait_s', 0):g} s "
        f"a run) for other users' load to drop below 0.3 cores, and after it for the server "
        f"to go idle (≤ {cfg.get('cooldown_max_s', '?')} s). Per-request timeout "
        f"{cfg['timeout_s']} s.")


def method_perfect(results):
    cfg = results["config"]
    lat = cfg["latency_ms"]
    fc, fs = cfg["floor_ms"]["concurrent"], cfg["floor_ms"]["sequential"]
    return [
        f"* **Scenario: perfect world.** Fixed provider latency, no faults, every submission "
        f"unique: what each server costs when nothing goes wrong. (`bench/run --scenario "
        f"realistic` measures jitter, faults and repeated submissions: "
        f"`BENCHMARKS-realistic.md`.)",
        f"* **Providers:** `{cfg['sandbox_cmd']}` in its own process, fixed latency "
        f"(Eva {lat['eva']:g} ms, Lob {lat['lob']:g} ms, Veriphone {lat['veriphone']:g} ms, "
        f"no jitter). Every server calls it over loopback HTTP.",
        f"* **Floor** (the least any server can take): concurrent mode = the slowest call = "
        f"**{fc:g} ms**; sequential mode = the sum = **{fs:g} ms**. **Ceiling** (Little's law): "
        f"C / floor submissions per second with C clients.",
        load_bullet(results, "Every request carries unique email, phone and street number, "
                             "so no cache can answer for a provider."),
        method_common(results)[0],
        f"* **unverified:** answers in which a provider did not answer (peers: fields marked "
        f"unverified on the page; vouch: provider calls with outcome error/timeout in "
        f"`/metrics`). Not errors, but a server that fails its providers is not doing the work.",
    ] + method_common(results)[1:]


def method_realistic(results):
    cfg = results["config"]
    lat, sc = cfg["latency_ms"], cfg["scenario_params"]
    pol = cfg.get("vouch_policy") or {}
    fc, fs = cfg["floor_ms"]["concurrent"], cfg["floor_ms"]["sequential"]
    return [
        f"* **Scenario: realistic.** What production sees, with the same servers and steps as "
        f"the perfect world (`BENCHMARKS.md`): provider latency with a heavy tail, a few % of "
        f"provider calls failing, and people pressing submit twice. Parameters: jitter "
        f"**{sc['jitter']}**, **{100 * sc['error_rate']:g} %** of provider calls answered 500, "
        f"**{100 * sc['timeout_rate']:g} %** never answered (the sandbox holds them 60 s), "
        f"**{100 * sc['repeat']:g} %** of submissions repeat one of 100 earlier people, "
        f"sandbox seed {sc['seed']}.",
        f"* **Providers:** `{cfg['sandbox_cmd']}` in its own process. Latency is log-normal "
        f"around the medians Eva {lat['eva']:g} ms, Lob {lat['lob']:g} ms, Veriphone "
        f"{lat['veriphone']:g} ms with p99 = 3 × median (capped at 20 ×); faults are rolled "
        f"per call. The seed makes every server's fresh sandbox draw the same sequence of "
        f"delays and faults (in the order calls arrive).",
        f"* **What the servers do about it.** vouch, as configured by default: per-call timeout "
        f"{pol.get('per_call_timeout_s', '?')} s, deadline {pol.get('deadline_s', '?')} s per "
        f"submission, retry: {pol.get('retry', '?')}; {pol.get('cache', '?')}, so a repeated "
        f"person's checks are answered without a provider call (only definite answers are "
        f"cached). The Python peers: per-call timeout **{cfg.get('peer_timeout_s', 3):g} s**, "
        f"set to vouch's (`PEER_PROVIDER_TIMEOUT_S`) so that a stalled call costs every server "
        f"the same; no retry, no cache, no deadline for the whole submission (a sequential peer "
        f"adds its calls' timeouts up).",
        load_bullet(results, f"Each request is a new person (unique email, phone and street "
                             f"number) or, with probability {sc['repeat']:g}, one of 100 "
                             f"people sent before (the same values again). The timeout is "
                             f"long enough to time a sequential peer that waits out two "
                             f"stalled calls."),
        f"* **No floor, no targets.** With jitter the latency has no fixed floor; the charts "
        f"keep the perfect world's ({fc:g} ms concurrent, {fs:g} ms sequential, ceiling "
        f"C / floor) dashed as a reference. The perfect world's targets do not apply: the "
        f"tables give the figures.",
        method_common(results)[0],
        f"* **unverified answers:** of the timed answers, those with at least one field marked "
        f"unverified on the page (vouch: `field--unverified`; peers: "
        f"`data-outcome=\"unverified\"`). **Provider calls / submission** (vouch, from "
        f"`/metrics`, over the whole wrk run): `vouch_provider_calls_total` minus the outcomes "
        f"that made no call (`cached`, `skipped`, `circuit_open`, `over_budget`), plus "
        f"`vouch_provider_retries_total` and hedges, per three outcomes (every submission "
        f"records one outcome per check); the peers make 3 by design (not measured). **Cache "
        f"hits:** `vouch_cache_lookups_total{{result=\"hit\"}}` / all lookups (a check that "
        f"joined an identical one in flight counts as a hit). **Failed checks:** outcomes "
        f"`error` and `timeout` (after the retry), as a share of the calls made.",
    ] + method_common(results)[1:]


def sandbox_note(results):
    cfg = results["config"]
    lat = cfg["latency_ms"]
    sc = results.get("sandbox_check") or {}
    if sc and "error" not in sc:
        how = ("with the scenario's jitter but no faults, so these are medians of a "
               "heavy-tailed draw" if realistic(results) else "at the start of the run")
        return ("The sandbox's own answer time, timed by calling it directly (median of 15 "
                f"on one keep-alive connection, {how}): "
                + ", ".join(f"{k} {v['median_ms']:g} ms (configured {lat[k]:g})"
                            for k, v in sc.items())
                + ("." if realistic(results) else ". Any server's answer includes this, so a "
                   "server's overhead above the floor is partly the sandbox's.") + "\n")
    if sc:
        return f"Sandbox self-check failed: {esc_md(sc['error'])}\n"
    return ""


def machine_table(results):
    cfg, mach = results["config"], results["machine"]
    return table(["", ""], [
        ["CPUs (nproc)", mach["nproc"]], ["CPU model", mach["cpu_model"]],
        ["memory", mach["memory"]], ["kernel", mach["kernel"]], ["OS", mach["os"]],
        ["rustc", mach["rustc"]], ["Python (peers)", mach["python"]], ["wrk", mach["wrk"]],
        ["load average at start", " ".join(mach["loadavg_at_start"])],
        ["vouch commit", mach["git"]], ["vouch build", cfg.get("vouch_build", "release")]])


# --- the realistic scenario's figures ---------------------------------------------------------

def ok_steps(srv, mode):
    return [st for st in steps_of(srv, mode) if st["status"] == "ok"]


def unverified_text(st):
    n = st.get("unverified_answers")
    return "–" if n is None else f"{n:,} ({pct(n, st.get('unverified_of', st['completed']))})"


def calls_per_sub_text(srv, st):
    if srv["id"] != "vouch":
        return "*3*"
    return fmt(st.get("provider_calls_per_sub"), 2)


def realistic_step_table(results, mode):
    header = ["C", "server", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors",
              "unanswered", "unverified answers", "provider calls / sub", "cache hits",
              "CPU ms / sub", "other load (cores)"]
    rows = []
    for c in results["config"]["steps"]:
        for srv in results["servers"]:
            m = srv["modes"].get(mode)
            if m is None:
                continue
            st = next((s for s in m.get("steps", []) if s["c"] == c), None)
            if st is None or st["status"] != "ok":
                why = (m.get("error") or m.get("status")) if st is None else \
                    f"{st['status']}: {st.get('error')}"
                rows.append([c, srv["label"], f"not run: {esc_md(why)}"] + [""] * 11)
                continue
            vouch = srv["id"] == "vouch"
            rows.append([c, srv["label"], fmt(st["rps"]), fmt(st["p50_ms"]), fmt(st["p90_ms"]),
                         fmt(st["p99_ms"]), fmt(st["max_ms"], 0), errors_text(st),
                         bold_if(st.get("unanswered")), unverified_text(st),
                         calls_per_sub_text(srv, st),
                         pct(st.get("cache_hits"), sum((st.get("cache_lookups") or {}).values()))
                         if vouch else "–",
                         fmt(st.get("cpu_ms_per_req"), 2), fmt(st.get("others_cores"), 2)])
    return table(header, rows)


def bold_if(n):
    return "–" if n is None else (f"**{n:,}**" if n else "0")


def mode_totals(srv, mode):
    """One server and mode over all its measured steps, or None if none ran."""
    steps = ok_steps(srv, mode)
    if not steps:
        return None
    total = lambda key: sum(st.get(key) or 0 for st in steps)
    errors = {k: sum(st["errors"][k] for st in steps) for k in steps[0]["errors"]}
    t = {"answers": sum(st.get("unverified_of", st["completed"]) for st in steps),
         "errors": errors, "errors_total": sum(errors.values()),
         "unanswered": total("unanswered"), "unverified": total("unverified_answers"),
         "max_ms": max(st["max_ms"] for st in steps),
         "p99_range": (min(st["p99_ms"] for st in steps), max(st["p99_ms"] for st in steps))}
    if srv["id"] == "vouch" and all(st.get("provider_calls_per_sub") is not None for st in steps):
        calls = {}
        for st in steps:
            for k, v in (st.get("provider_calls") or {}).items():
                outcome = k.split("/", 1)[1]
                calls[outcome] = calls.get(outcome, 0) + v
        sent = total("provider_calls_sent") + total("retries") + total("hedges")
        lookups = sum(sum((st.get("cache_lookups") or {}).values()) for st in steps)
        t.update(calls_per_sub=3 * sent / total("outcomes") if total("outcomes") else None,
                 cache_hit_share=total("cache_hits") / lookups if lookups else None,
                 retries=total("retries"), calls_sent=sent, outcomes=calls)
    return t


def totals_table(results):
    """What each server did with the scenario, summed over every measured step."""
    rows = []
    for srv in results["servers"]:
        for mode in results["config"]["modes"]:
            t = mode_totals(srv, mode)
            if t is None:
                m = srv["modes"].get(mode) or {}
                rows.append([srv["label"], mode,
                             f"not run: {esc_md(m.get('error') or m.get('status'))}"] + [""] * 9)
                continue
            err = "0" if not t["errors_total"] else f"**{t['errors_total']:,}** (" + ", ".join(
                f"{k} {v:,}" for k, v in t["errors"].items() if v) + ")"
            vouch = srv["id"] == "vouch"
            counted = "calls_per_sub" in t            # vouch's /metrics were readable
            failed = failed_calls_text(t) if counted else "–"
            rows.append([srv["label"], mode, f"{t['answers']:,}", err, bold_if(t["unanswered"]),
                         f"{t['unverified']:,} ({pct(t['unverified'], t['answers'])})",
                         f"{t['p99_range'][0]:,.0f}–{t['p99_range'][1]:,.0f}",
                         f"{t['max_ms']:,.0f}",
                         fmt(t.get("calls_per_sub"), 2) if vouch else "*3*",
                         pct(t.get("cache_hit_share"), 1) if counted else "–",
                         f"{t['retries']:,} ({pct(t['retries'], t['calls_sent'])})" if counted
                         else "–", failed])
    return table(["server", "mode", "answers", "errors", "unanswered", "unverified answers",
                  "p99 ms (range over steps)", "max ms", "provider calls / sub", "cache hits",
                  "retries (of calls)", "failed checks (vouch, after retries)"], rows)


def failed_calls_text(t):
    """vouch's checks that ended without an answer, by outcome, and their share of calls."""
    outcomes = t.get("outcomes") or {}
    failed = {k: outcomes.get(k, 0) for k in ("error", "timeout", "circuit_open", "over_budget")}
    parts = [f"{k.replace('_', ' ')} {v:,}" for k, v in failed.items()
             if v or k in ("error", "timeout")]
    return f"{', '.join(parts)} ({pct(sum(failed.values()), t['calls_sent'])} of calls)"


def realistic_single_table(results):
    """Median and slowest of the single submissions (too few for a p90)."""
    rows = []
    for srv in results["servers"]:
        cells = [srv["label"]]
        errs = unverified = 0
        for mode in results["config"]["modes"]:
            s = (srv["modes"].get(mode) or {}).get("single") or {}
            cells += [fmt(s.get("median_ms"), 1), fmt(s.get("max_ms"), 1)]
            errs += s.get("errors") or 0
            unverified += s.get("unverified_answers") or 0
        rows.append(cells + [errs, unverified])
    header = ["server"]
    for mode in results["config"]["modes"]:
        header += [f"{mode} median ms", "max ms"]
    return table(header + ["errors", "unverified answers"], rows)


# --- the document -----------------------------------------------------------------------------

TITLES = {"perfect": "Benchmarks: the perfect world",
          "realistic": "Benchmarks: the realistic scenario"}


def render(results, md_path, chart_dir):
    cfg = results["config"]
    made = charts(results, chart_dir)
    rel = lambda p: os.path.relpath(p, os.path.dirname(os.path.abspath(md_path)))
    real = realistic(results)
    L = [f"# {TITLES.get(scenario_of(results), 'Benchmarks')}\n"]
    L.append(f"Generated by `bench/report.py` from one run of `bench/run` "
             f"(profile `{results['profile']}`, scenario `{scenario_of(results)}`, started "
             f"{results['started']}, {results.get('elapsed_s', '?')} s of measuring). Do not "
             f"edit by hand: rerun `bench/run` (see `bench/README.md`).\n")
    for w in warnings(results):
        L.append(f"> **Note:** {w}\n")
    L.append("## Method\n")
    L.append("\n".join(method_realistic(results) if real else method_perfect(results)) + "\n")
    L.append(sandbox_note(results))
    L.append("## Machine\n")
    L.append(machine_table(results) + "\n")
    L.append("## Servers\n")
    L.append(table(["server", "what it is"],
                   [[s["label"], s["about"]] for s in results["servers"]]) + "\n")
    if real:
        L.append("## What each server did with it\n")
        L.append("Summed over every measured step of each mode. *3*: the peers call every "
                 "provider once per submission (no cache, no retry), not measured.\n")
        L.append(totals_table(results) + "\n")
    else:
        L.append("## Targets\n")
        L.append(targets(results) + "\n")
    L.append("## Single submission\n")
    if real:
        L.append("One person at a time: the heavy tail and the faults as one user meets them.\n")
        L.append(realistic_single_table(results) + "\n")
    else:
        fc, fs = cfg["floor_ms"]["concurrent"], cfg["floor_ms"]["sequential"]
        L.append(f"Floor: {fc:g} ms concurrent, {fs:g} ms sequential. *Above sandbox*: above "
                 f"the sandbox's own measured answer times (slowest call / sum of the three, "
                 f"see Method), i.e. the server's own overhead.\n")
        L.append(single_table(results) + "\n")
    for mode in cfg["modes"]:
        head = f"## Under load: {mode} ({MODE_ROUTE[mode]})"
        L.append(f"{head}\n" if real else f"{head}, floor {cfg['floor_ms'][mode]:g} ms\n")
        if mode in made:
            f1, f2 = made[mode]
            L.append(f"![throughput, {mode}]({rel(f1)})\n")
            L.append(f"![p99, {mode}]({rel(f2)})\n")
        L.append((realistic_step_table(results, mode) if real else step_table(results, mode))
                 + "\n")
    L.append("## Peak memory\n")
    L.append(rss_table(results) + "\n")
    # Hand-written findings from tuning the perfect world (what changed the numbers), kept
    # next to the harness; they are not about this scenario's figures.
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")
    if os.path.exists(findings) and not real:
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
