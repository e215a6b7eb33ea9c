#!/usr/bin/env python3
"""Varied traffic for bench/pgo's training run: what wrk's uniform form load does not reach.

Sends a few hundred submissions to a running vouch (form posts on both routes, the JSON API in
both modes, bad requests of every kind the design names) from a small thread pool, so that the
profile also covers invalid fields, local verdicts, error answers and the pages' GETs, and a
build optimised with it does not treat those paths as cold. Standard library only.

    train.py BASE_URL [--rounds N]
"""

import argparse
import http.client
import json
import random
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

GOOD = {
    "firstName": "Jane", "lastName": "Doe", "phoneNumber": "(202) 555-0143",
    "email": "jane.doe@gmail.com", "address": "185 Berry St", "address2": "Suite 6100",
    "city": "San Francisco", "state": "CA", "zip": "94107",
}
# One bad value per field (and a few valid variants), so every verdict path runs.
VARIANTS = {
    "firstName": ["", "J", "Jean-Luc", "O'Brien", "<script>", "x" * 300],
    "lastName": ["", "de la Cruz", "Nguyễn", "12345"],
    "phoneNumber": ["", "555", "+44 20 7946 0958", "202-555-01", "(415) 555-2671",
                    "+1 202 555 0143 ext 9", "abc"],
    "email": ["", "not-an-email", "a@b", "x@mailinator.com", "someone@example.com",
              "user+tag@yahoo.com", "a" * 70 + "@gmail.com", "ü@exämple.de"],
    "address": ["", "1 Infinite Loop", "PO Box 12", "123 Main St Apt 4"],
    "address2": ["", "Apt 2", "#7"],
    "city": ["", "Cupertino", "New York", "Springfield"],
    "state": ["", "NY", "ZZ", "ca", "TX"],
    "zip": ["", "10001", "1234", "99999", "94107-1234", "abcde", "00501"],
}


def submission(rng):
    form = dict(GOOD)
    for field in rng.sample(list(VARIANTS), rng.randint(0, 3)):
        form[field] = rng.choice(VARIANTS[field])
    # a unique email keeps the providers' answers from coming out of a cache
    if form["email"] == GOOD["email"]:
        form["email"] = f"jane.doe.{rng.randrange(10**9)}@gmail.com"
    return form


def call(base, method, path, body=None, ctype=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    headers = {"Content-Type": ctype} if ctype else {}
    conn.request(method, path, body=body, headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


def one(base, seed):
    rng = random.Random(seed)
    form = submission(rng)
    kind = seed % 6
    if kind < 2:
        path = "/async" if kind == 0 else "/sync"
        return call(base, "POST", path, urllib.parse.urlencode(form),
                    "application/x-www-form-urlencoded")
    if kind < 4:
        mode = "concurrent" if kind == 2 else "sequential"
        return call(base, "POST", f"/api/v1/validate?mode={mode}", json.dumps(form),
                    "application/json")
    if kind == 4:
        return call(base, "GET", rng.choice(["/", "/sync", "/async", "/healthz", "/metrics",
                                              "/static/vouch.css", "/static/vouch.js",
                                              "/static/favicon.svg", "/nope"]))
    bad = rng.choice([
        ("/api/v1/validate?mode=fast", "{}", "application/json"),            # 400
        ("/api/v1/validate", "{not json", "application/json"),               # 400
        ("/api/v1/validate", "[1, 2]", "application/json"),                  # 422
        ("/api/v1/validate", '{"email": 5}', "application/json"),            # 422
        ("/api/v1/validate", "email=a", "text/plain"),                       # 415
        ("/api/v1/validate", json.dumps({"email": "x" * 70000}), "application/json"),  # 413
        ("/async", "email=%ZZ&&=", "application/x-www-form-urlencoded"),
        ("/async", "firstName=" + "x" * 17000, "application/x-www-form-urlencoded"),  # 413
    ])
    return call(base, "POST", *bad)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("--rounds", type=int, default=600)
    args = ap.parse_args()
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(lambda s: one(args.base, s), range(args.rounds)))
    counts = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    print("train.py: statuses " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    # A server that answers everything with 5xx is not being trained on its real paths.
    if sum(v for k, v in counts.items() if k >= 500) > len(statuses) // 10:
        sys.exit("train.py: too many 5xx answers")


if __name__ == "__main__":
    main()
