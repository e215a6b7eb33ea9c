"""The tutorial's Flask app, written the way the tutorial wrote it.

`/sync` calls Eva, Lob and Veriphone one after another with `requests` module functions, so
every call opens a new session and a new connection (no pooling). `/async` is an async Flask
view (Flask[async], run through asgiref in the worker thread) that opens an aiohttp
ClientSession per submission and gathers the three calls with `asyncio.gather`.

Served two ways by the harness: `flask run` (Werkzeug's threaded dev server, as the tutorial
ran it) and gunicorn with 4 workers x 8 threads (gthread).
"""

import asyncio
import time

import aiohttp
import requests
from flask import Flask, request

from common import (EVA_BASE_URL, LOB_API_KEY, LOB_BASE_URL, TIMEOUT_S, VERIPHONE_BASE_URL,
                    address_verdict, email_query, email_verdict, form_values, lob_form,
                    local_verdicts, phone_verdict, render_page, veriphone_query)

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return "ok"


# --- /sync: requests, one call after another ---------------------------------------------

def check_email(values):
    try:
        r = requests.get(f"{EVA_BASE_URL}/email", params=email_query(values), timeout=TIMEOUT_S)
        return email_verdict(r.status_code, r.json())
    except (requests.RequestException, ValueError):
        return email_verdict(0, None)


def check_address(values):
    try:
        r = requests.post(f"{LOB_BASE_URL}/v1/us_verifications", data=lob_form(values),
                          auth=(LOB_API_KEY, ""), timeout=TIMEOUT_S)
        return address_verdict(r.status_code, r.json())
    except (requests.RequestException, ValueError):
        return address_verdict(0, None)


def check_phone(values):
    try:
        r = requests.get(f"{VERIPHONE_BASE_URL}/v2/verify", params=veriphone_query(values),
                         timeout=TIMEOUT_S)
        return phone_verdict(r.status_code, r.json())
    except (requests.RequestException, ValueError):
        return phone_verdict(0, None)


@app.route("/sync", methods=["GET", "POST"])
def sync():
    values = form_values(request.form)
    if request.method == "GET":
        return render_page("sync", values, {}, 0.0)
    start = time.perf_counter()
    verdicts = local_verdicts(values)
    verdicts.update(check_email(values))
    verdicts.update(check_address(values))
    verdicts.update(check_phone(values))
    return render_page("sync", values, verdicts, (time.perf_counter() - start) * 1000)


# --- /async: aiohttp, all three at once -----------------------------------------------------

async def fetch_json(session, method, url, **kwargs):
    try:
        async with session.request(method, url, **kwargs) as r:
            return r.status, await r.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return 0, None


async def check_email_async(session, values):
    return email_verdict(*await fetch_json(session, "GET", f"{EVA_BASE_URL}/email",
                                           params=email_query(values)))


async def check_address_async(session, values):
    return address_verdict(*await fetch_json(
        session, "POST", f"{LOB_BASE_URL}/v1/us_verifications", data=lob_form(values),
        auth=aiohttp.BasicAuth(LOB_API_KEY, "")))


async def check_phone_async(session, values):
    return phone_verdict(*await fetch_json(session, "GET", f"{VERIPHONE_BASE_URL}/v2/verify",
                                           params=veriphone_query(values)))


@app.route("/async", methods=["GET", "POST"])
async def async_validate():
    values = form_values(request.form)
    if request.method == "GET":
        return render_page("async", values, {}, 0.0)
    start = time.perf_counter()
    verdicts = local_verdicts(values)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        results = await asyncio.gather(check_email_async(session, values),
                                       check_address_async(session, values),
                                       check_phone_async(session, values))
    for result in results:
        verdicts.update(result)
    return render_page("async", values, verdicts, (time.perf_counter() - start) * 1000)
