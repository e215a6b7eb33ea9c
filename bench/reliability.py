"""Reads what bench/reliability left in its output directory; writes results.json there and
prints the Markdown table RELIABILITY.md quotes. Standard library only."""

import json
import os
import re
import sys

DEADLINE_MS = 4000
MARGIN_MS = 50


def wrk(out, name):
    text = open(os.path.join(out, f"{name}-wrk.txt")).read()
    line = next(l for l in text.splitlines() if l.startswith("WRKJSON "))
    return json.loads(line[len("WRKJSON "):])


def metrics(out, name):
    """Sums of vouch's series by metric name and label set."""
    series = {}
    for line in open(os.path.join(out, f"{name}-metrics.txt")):
        m = re.match(r"^(\w+)(\{[^}]*\})? ([0-9.eE+-]+)$", line.strip())
        if m:
            series[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return series


def total(series, name, **labels):
    want = [f'{k}="{v}"' for k, v in labels.items()]
    return sum(v for (n, l), v in series.items() if n == name and all(w in l for w in want))


def summary(out, name):
    w, s = wrk(out, name), metrics(out, name)
    answers = w["responses"]
    outcomes = {}
    for (n, l), v in s.items():
        if n == "vouch_provider_calls_total":
            outcome = re.search(r'outcome="(\w+)"', l).group(1)
            outcomes[outcome] = outcomes.get(outcome, 0) + v
    checks = sum(outcomes.values()) - outcomes.get("skipped", 0)
    sent = checks - outcomes.get("cached", 0) - outcomes.get("circuit_open", 0) \
        - outcomes.get("over_budget", 0)
    retries = total(s, "vouch_provider_retries_total")
    hedges = total(s, "vouch_provider_hedges_total")
    hwm = int(open(os.path.join(out, f"{name}-hwm-kib.txt")).read().strip() or 0)
    return {
        "answers": answers,
        "non2xx": w["non2xx"],
        "socket_errors": w["connect"] + w["read"] + w["write"] + w["timeout"],
        "p50_ms": w["p50_us"] / 1000, "p99_ms": w["p99_us"] / 1000, "max_ms": w["max_us"] / 1000,
        "outcomes": outcomes,
        "provider_calls_per_submission": round((sent + retries + hedges) / max(answers, 1), 3),
        "retries": retries, "hedges": hedges,
        "hedges_per_call": round(hedges / max(sent, 1), 4),
        "peak_rss_mib": round(hwm / 1024, 1),
    }


def main():
    out, commit = sys.argv[1], sys.argv[2]
    names = ["faults", "repeats", "hedge-off", "hedge-p95", "stall-off", "stall-p95"]
    runs = {n: summary(out, n) for n in names}
    json.dump({"commit": commit, "runs": runs}, open(os.path.join(out, "results.json"), "w"),
              indent=2)
    f, r, off, p95 = runs["faults"], runs["repeats"], runs["hedge-off"], runs["hedge-p95"]
    s_off, s_p95 = runs["stall-off"], runs["stall-p95"]
    limit = DEADLINE_MS + MARGIN_MS
    rows = [
        ("1,000 concurrent, 10 % timeouts + 5 % errors + heavy tail", "non-2xx answers",
         f"{f['non2xx']} of {f['answers']} (socket errors {f['socket_errors']})"),
        ("", f"slowest answer (limit {limit} ms)",
         f"{f['max_ms']:.0f} ms ({'inside' if f['max_ms'] <= limit else 'LATE'}); "
         f"p50 {f['p50_ms']:.0f}, p99 {f['p99_ms']:.0f} ms"),
        ("", "outcomes", ", ".join(f"{k} {int(v)}" for k, v in sorted(f["outcomes"].items()))),
        ("", "retries; peak RSS", f"{int(f['retries'])}; {f['peak_rss_mib']} MiB"),
        ("same, half the submissions repeated", "provider calls per submission",
         f"{r['provider_calls_per_submission']} (unique: {f['provider_calls_per_submission']})"),
        ("", "slowest answer; peak RSS", f"{r['max_ms']:.0f} ms; {r['peak_rss_mib']} MiB"),
        ("heavy tail, C = 64, --hedge off", "p50 / p99",
         f"{off['p50_ms']:.1f} / {off['p99_ms']:.1f} ms"),
        ("heavy tail, C = 64, --hedge p95", "p50 / p99; extra calls",
         f"{p95['p50_ms']:.1f} / {p95['p99_ms']:.1f} ms; {int(p95['hedges'])} hedges = "
         f"{100 * p95['hedges_per_call']:.1f} % of calls"),
        ("heavy tail + 5 % of calls stalling, C = 64, --hedge off", "p50 / p99; timeouts",
         f"{s_off['p50_ms']:.1f} / {s_off['p99_ms']:.1f} ms; "
         f"{int(s_off['outcomes'].get('timeout', 0))}"),
        ("heavy tail + 5 % of calls stalling, C = 64, --hedge p95", "p50 / p99; timeouts; extra calls",
         f"{s_p95['p50_ms']:.1f} / {s_p95['p99_ms']:.1f} ms; "
         f"{int(s_p95['outcomes'].get('timeout', 0))}; {int(s_p95['hedges'])} hedges = "
         f"{100 * s_p95['hedges_per_call']:.1f} % of calls"),
    ]
    print(f"Measured at {commit} (`bench/reliability`, results in {out}):\n")
    print("| scenario | what | figure |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
