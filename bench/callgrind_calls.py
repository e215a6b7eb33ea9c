#!/usr/bin/env python3
"""Calls to one function in a callgrind profile, per submission, and who made them.

    bench/callgrind_calls.py PROFILE SUBMISSIONS [FUNCTION] [--top N]

FUNCTION is matched as a substring of callgrind's function names (default
`__rustc::__rust_alloc`, Rust's allocations). Prints the calls per submission, then the
callers that made the most. bench/instructions runs it on its profile; a cloned boxed
service or a string built piece by piece shows up here long before it shows in CPU time.
"""

import argparse
import collections
import re

NAME = re.compile(r"\((\d+)\)(?: (.*))?")


def calls_by_caller(path, function):
    """{caller name: calls} for every function whose name contains `function`."""
    names, calls = {}, collections.Counter()
    caller = callee = None
    with open(path, errors="replace") as profile:
        for line in profile:
            if line.startswith(("fn=", "cfn=")):
                key, _, rest = line.rstrip("\n").partition("=")
                match = NAME.match(rest)
                if not match:
                    continue
                if match.group(2):
                    names[match.group(1)] = match.group(2)
                if key == "fn":
                    caller = match.group(1)
                else:
                    callee = match.group(1)
            elif line.startswith("calls=") and callee is not None:
                if function in names.get(callee, ""):
                    calls[names.get(caller, "?")] += int(line[6:].split()[0])
    return calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("submissions", type=int)
    parser.add_argument("function", nargs="?", default="__rustc::__rust_alloc")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    calls = calls_by_caller(args.profile, args.function)
    n = max(args.submissions, 1)
    print(f"{args.function}: {sum(calls.values()) / n:.0f} calls per submission; top callers:")
    for caller, count in calls.most_common(args.top):
        print(f"{count / n:9.1f}  {caller[:150]}")


if __name__ == "__main__":
    main()
