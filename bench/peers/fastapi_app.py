"""The strongest Python design we could write for the same job.

FastAPI on uvicorn (uvloop + httptools, 2 worker processes), one aiohttp ClientSession per
worker created at startup and shared by every request (pooled keep-alive connections to the
providers, no connection limit), the form parsed from the raw body with the standard library
(no python-multipart round trip). `/sync` awaits the three calls one after another, `/async`
gathers them.
"""

import asyncio
import time
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

import aiohttp
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from common import (EVA_BASE_URL, LOB_API_KEY, LOB_BASE_URL, TIMEOUT_S, VERIPHONE_BASE_URL,
                    address_verdict, email_query, email_verdict, form_values, lob_form,
                    local_verdicts, phone_verdict, render_page, veriphone_query)

session: aiohttp.ClientSession | None = None
LOB_AUTH = aiohttp.BasicAuth(LOB_API_KEY, "")


@asynccontextmanager
async def lifespan(_app):
    global session
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=30)
    session = aiohttp.ClientSession(connector=connector,
                                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
    yield
    await session.close()


app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)


async def fetch_json(method, url, **kwargs):
    try:
        async with session.request(method, url, **kwargs) as r:
            return r.status, await r.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return 0, None


async def check_email(values):
    return email_verdict(*await fetch_json("GET", f"{EVA_BASE_URL}/email",
                                           params=email_query(values)))


async def check_address(values):
    return address_verdict(*await fetch_json("POST", f"{LOB_BASE_URL}/v1/us_verifications",
                                             data=lob_form(values), auth=LOB_AUTH))


async def check_phone(values):
    return phone_verdict(*await fetch_json("GET", f"{VERIPHONE_BASE_URL}/v2/verify",
                                           params=veriphone_query(values)))


async def read_form(request: Request):
    body = (await request.body()).decode("utf-8", errors="replace")
    return form_values(dict(parse_qsl(body, keep_blank_values=True)))


@app.get("/healthz", response_class=PlainTextResponse)
async def healthz():
    return "ok"


@app.get("/sync", response_class=HTMLResponse)
@app.get("/async", response_class=HTMLResponse)
async def form_page(request: Request):
    return render_page(request.url.path.strip("/"), form_values({}), {}, 0.0)


@app.post("/sync", response_class=HTMLResponse)
async def validate_sequentially(request: Request):
    values = await read_form(request)
    start = time.perf_counter()
    verdicts = local_verdicts(values)
    verdicts.update(await check_email(values))
    verdicts.update(await check_address(values))
    verdicts.update(await check_phone(values))
    return render_page("sync", values, verdicts, (time.perf_counter() - start) * 1000)


@app.post("/async", response_class=HTMLResponse)
async def validate_concurrently(request: Request):
    values = await read_form(request)
    start = time.perf_counter()
    verdicts = local_verdicts(values)
    for result in await asyncio.gather(check_email(values), check_address(values),
                                       check_phone(values)):
        verdicts.update(result)
    return render_page("async", values, verdicts, (time.perf_counter() - start) * 1000)
