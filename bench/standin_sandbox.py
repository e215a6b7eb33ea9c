#!/usr/bin/env python3
"""Stand-in for `vouch sandbox`, used only while the real binary is not available.

Same command line as the real one (`--listen ADDR --latency eva=100ms,lob=200ms,veriphone=300ms
--jitter off`), the same three paths plus /healthz, fixed delays, answers in the providers'
documented shapes (shared/providers.md). It does not judge inputs: every email, address and
phone is answered as valid. A single asyncio process, so it tops out near a few thousand
requests/s: fine for developing the harness, not for a published run (the report flags it).
"""

import argparse
import asyncio
import base64
import json
import re

from aiohttp import web

DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")


def parse_duration(text):
    m = DURATION.match(text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"bad duration {text!r} (use e.g. 300ms or 1s)")
    value = float(m.group(1))
    return value / 1000 if m.group(2) == "ms" else value


def parse_latency(text):
    """`300ms` (all providers) or `eva=100ms,lob=200ms,veriphone=300ms`."""
    out = {}
    if "=" not in text:
        d = parse_duration(text)
        return {"eva": d, "lob": d, "veriphone": d}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name not in ("eva", "lob", "veriphone"):
            raise argparse.ArgumentTypeError(f"unknown provider {name!r}")
        out[name] = parse_duration(value)
    return out


def json_response(body, status=200, content_type="application/json"):
    return web.Response(text=json.dumps(body), status=status, content_type=content_type)


def build_app(latency):
    async def email(request):
        address = request.query.get("email", "")
        await asyncio.sleep(latency.get("eva", 0))
        if not address:
            return json_response({"status": "failure", "message": "email parameter is required"}, 400)
        domain = address.rpartition("@")[2]
        return json_response({"status": "success", "data": {
            "email_address": address, "domain": domain, "valid_syntax": "@" in address,
            "disposable": False, "webmail": False, "deliverable": True,
            "catch_all": False, "gibberish": False, "spam": False}})

    async def lob(request):
        auth = request.headers.get("Authorization", "")
        form = await request.post()
        await asyncio.sleep(latency.get("lob", 0))
        user = ""
        if auth.startswith("Basic "):
            user = base64.b64decode(auth[6:]).decode(errors="replace").partition(":")[0]
        if not user:
            return json_response({"error": {"message": "Missing authentication",
                                            "status_code": 401, "code": "unauthorized"}}, 401)
        primary = form.get("primary_line", "")
        if not primary:
            return json_response({"error": {"message": "primary_line is required",
                                            "status_code": 422, "code": "invalid"}}, 422)
        city, state, zip_code = (form.get(k, "").upper() for k in ("city", "state", "zip_code"))
        return json_response({
            "id": "us_ver_standin", "recipient": None, "primary_line": primary.upper(),
            "secondary_line": form.get("secondary_line", "").upper(), "urbanization": "",
            "last_line": f"{city} {state} {zip_code}", "deliverability": "deliverable",
            "valid_address": True,
            "components": {"city": city, "state": state, "zip_code": zip_code[:5]},
            "deliverability_analysis": {"dpv_confirmation": "Y", "dpv_footnotes": ["AA", "BB"]},
            "object": "us_verification"})

    async def verify(request):
        query = request.query
        if request.method == "POST":
            query = await request.post()
        await asyncio.sleep(latency.get("veriphone", 0))
        if not query.get("key"):
            return json_response({"status": "error", "code": 401, "type": "Unauthorized",
                                  "message": "API key or token required"}, 401,
                                 "application/json")
        phone = query.get("phone", "")
        digits = "".join(ch for ch in phone if ch.isdigit())[-10:]
        return json_response({
            "status": "success", "phone": phone, "phone_valid": len(digits) == 10,
            "phone_type": "fixed_line", "phone_region": "", "country": "United States",
            "country_code": "US", "country_prefix": "1",
            "international_number": f"+1 {digits}", "local_number": digits,
            "e164": f"+1{digits}", "carrier": ""})

    async def healthz(_request):
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/email", email)
    app.router.add_post("/v1/us_verifications", lob)
    app.router.add_route("*", "/v2/verify", verify)
    app.router.add_get("/healthz", healthz)
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8081")
    parser.add_argument("--latency", type=parse_latency, default=parse_latency("300ms"))
    parser.add_argument("--jitter", choices=["on", "off"], default="off",
                        help="accepted for CLI compatibility; the stand-in never jitters")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    web.run_app(build_app(args.latency), host=host, port=int(port), print=None,
                access_log=None, backlog=4096)


if __name__ == "__main__":
    main()
