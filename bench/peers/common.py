"""What both Python peers share: configuration, how a provider answer becomes a field verdict,
and the small HTML page they answer with. Kept free of any HTTP client so that the peers differ
only where the comparison is about: how they call the providers.

Verdicts follow design.md: `valid`, `invalid` (with the tutorial's message), `unverified` (the
provider could not answer), `empty` (optional field left blank). An unverified field is rendered
with `data-outcome="unverified"`, which the harness counts as a degraded answer.
"""

import html
import os

EVA_BASE_URL = os.environ.get("EVA_BASE_URL", "http://127.0.0.1:8081").rstrip("/")
LOB_BASE_URL = os.environ.get("LOB_BASE_URL", "http://127.0.0.1:8081").rstrip("/")
VERIPHONE_BASE_URL = os.environ.get("VERIPHONE_BASE_URL", "http://127.0.0.1:8081").rstrip("/")
LOB_API_KEY = os.environ.get("LOB_API_KEY", "sandbox")
VERIPHONE_API_KEY = os.environ.get("VERIPHONE_API_KEY", "sandbox")
TIMEOUT_S = float(os.environ.get("PEER_PROVIDER_TIMEOUT_S", "3"))

FIELDS = ["firstName", "lastName", "email", "phoneNumber",
          "address", "address2", "city", "state", "zip"]
LABELS = {"firstName": "First name", "lastName": "Last name", "email": "Email address",
          "phoneNumber": "Phone number", "address": "Address", "address2": "Address line 2",
          "city": "City", "state": "State", "zip": "Zip"}
UNVERIFIED = "Couldn't verify this right now"


def form_values(mapping):
    return {name: (mapping.get(name) or "").strip() for name in FIELDS}


def email_query(values):
    return {"email": values["email"]}


def lob_form(values):
    return {"primary_line": values["address"], "secondary_line": values["address2"],
            "city": values["city"], "state": values["state"], "zip_code": values["zip"]}


def veriphone_query(values):
    return {"phone": values["phoneNumber"], "key": VERIPHONE_API_KEY, "default_country": "US"}


def email_verdict(status, body):
    if status != 200 or not isinstance(body, dict) or body.get("status") != "success":
        return {"email": ("unverified", UNVERIFIED)}
    data = body.get("data") or {}
    ok = data.get("valid_syntax") and data.get("deliverable") and not data.get("disposable")
    return {"email": ("valid", "") if ok else ("invalid", "Invalid email address")}


def address_verdict(status, body):
    parts = ["address", "address2", "city", "state", "zip"]
    if status != 200 or not isinstance(body, dict) or "deliverability" not in body:
        return {p: ("unverified", UNVERIFIED) for p in parts}
    out = {p: ("valid", "") for p in parts}
    d = body["deliverability"]
    if d in ("deliverable_missing_unit", "deliverable_incorrect_unit"):
        out["address2"] = ("invalid", "Invalid address")
    elif d == "undeliverable":
        out["address"] = ("invalid", "Invalid address")
    return out


def phone_verdict(status, body):
    if status != 200 or not isinstance(body, dict) or body.get("status") != "success":
        return {"phoneNumber": ("unverified", UNVERIFIED)}
    ok = body.get("phone_valid") is True
    return {"phoneNumber": ("valid", "") if ok else ("invalid", "Invalid phone number")}


def local_verdicts(values):
    """Checks that need no provider: required names, blank optional address2."""
    out = {}
    for name, message in (("firstName", "First name is required."),
                          ("lastName", "Last name is required.")):
        out[name] = ("valid", "") if values[name] else ("invalid", message)
    return out


def render_page(mode, values, verdicts, elapsed_ms):
    """The form again, with each field's verdict and the validation time."""
    rows = []
    for name in FIELDS:
        status, message = verdicts.get(name, ("valid", ""))
        if name == "address2" and not values[name] and status == "valid":
            status = "empty"
        rows.append(
            f'<p class="field {status}" data-outcome="{status}">'
            f'<label for="{name}">{LABELS[name]}</label> '
            f'<input id="{name}" name="{name}" value="{html.escape(values[name])}"> '
            f'<span class="status">{status}</span>'
            + (f' <span class="error">{html.escape(message)}</span>' if message else "")
            + "</p>")
    valid = all(v[0] != "invalid" for v in verdicts.values())
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign up</title></head>"
            f"<body><h1>Sign up ({mode})</h1><form method=\"post\" action=\"/{mode}\">"
            + "".join(rows)
            + f"<button>Submit</button></form><p id=\"result\">{'Valid' if valid else 'Invalid'}"
            f" submission, checked in {elapsed_ms:.1f} ms</p></body></html>")
