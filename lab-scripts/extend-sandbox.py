#!/usr/bin/env python3
"""Ask Sandbox Broker for more time on this learner's sandbox (for workshops that run over).

Python 3 standard library only. Reads subtenant_id.txt written by allocate-sandbox.py and asks the
broker to move the sandbox's expiry later, by BROKER_EXTEND_SECONDS or the pool's default step.
The pool bounds how often and how far a lease can be extended; the broker answers the new expiry.

Environment:
    BROKER_API_URL           the broker's base URL with /v1 (a URL without /v1 gets it appended); required
    BROKER_API_TOKEN         the lab token; required, never printed
    INSTRUQT_PARTICIPANT_ID  the learner holding the sandbox; required
    BROKER_EXTEND_SECONDS    the extra time wanted, in whole seconds; default: the pool's step
    BROKER_DEADLINE_SECONDS  give up after this long in total; default 120
    BROKER_BACKOFF_SECONDS   first wait between attempts without Retry-After; default 2
    BROKER_MAX_WAIT_SECONDS  longest single wait, even if Retry-After asks for more; default 60
    SANDBOX_STATE_DIR        where subtenant_id.txt is; default: the directory of this script

Exit codes: 0 extended (the new expiry is printed and written to expires_at.txt), 1 refused by the
broker (LEASE_LIMIT_REACHED, ALLOCATION_EXPIRED, another learner's sandbox, no sandbox allocated,
bad token), 2 gave up at the deadline, 3 bad configuration.
"""

import http.client
import json
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

EXIT_OK, EXIT_REFUSED, EXIT_GAVE_UP, EXIT_CONFIG = 0, 1, 2, 3
# A repeated extension after a lost answer extends twice; only answers that prove nothing was
# applied are retried (429 before the broker, 503 busy), never a timeout after sending.
RETRY_STATUSES = {429, 502, 503, 504}
REQUEST_TIMEOUT_SECONDS = 30


def log(message):
    print(message, file=sys.stderr, flush=True)


def api_base(url):
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError("BROKER_API_URL must start with http:// or https://")
    return url if url.endswith("/v1") else url + "/v1"


def seconds(env, name, default):
    raw = env.get(name, "").strip()
    if not raw:
        return float(default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def whole_seconds(env, name):
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of seconds, at least 1, not {raw!r}")
    return int(raw)


def parse(raw):
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return {}


def post(url, headers, timeout):
    request = urllib.request.Request(url, data=b"", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, parse(response.read()), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, parse(error.read()), error.headers.get("Retry-After")


def detail(body, field):
    value = body.get("detail") if isinstance(body, dict) else None
    return value.get(field) if isinstance(value, dict) else None


def pause_before(failures, retry_after, backoff, max_wait):
    for value in retry_after:
        try:
            if value is not None and float(value) >= 0:
                return min(max_wait, float(value) + random.uniform(0, 0.5))
        except (TypeError, ValueError):
            pass
    return min(max_wait, random.uniform(backoff / 2, max(backoff / 2, backoff * (2 ** min(failures - 1, 10)))))


def extend(base_url, token, learner, sandbox_id, extra, deadline, backoff, max_wait, state_dir):
    url = f"{base_url}/sandboxes/{urllib.parse.quote(sandbox_id, safe='')}/extend"
    if extra is not None:
        url += f"?seconds={extra}"
    headers = {"Authorization": "Bearer " + token, "X-Instruqt-Sandbox-ID": learner, "Accept": "application/json"}
    ends = time.monotonic() + deadline
    failures = 0
    while True:
        timeout = max(1.0, min(REQUEST_TIMEOUT_SECONDS, ends - time.monotonic()))
        try:
            status, body, retry_after = post(url, headers, timeout)
        except (OSError, http.client.HTTPException) as error:
            log(f"no answer from the broker ({error}); not retrying, a repeat could extend twice")
            return EXIT_GAVE_UP
        why = f"HTTP {status} {detail(body, 'code') or ''}".rstrip()
        if status == 200:
            expires_at = body.get("expires_at")
            when = datetime.fromtimestamp(expires_at, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
            with open(os.path.join(state_dir, "expires_at.txt"), "w", encoding="utf-8") as handle:
                handle.write(str(expires_at))
            log(f"sandbox {sandbox_id} extended: expires {when} (extension {body.get('extension_count')})")
            return EXIT_OK
        blocked_in_front = status == 403 and not detail(body, "code")
        if status not in RETRY_STATUSES and not blocked_in_front:
            log(f"the broker refused the extension: {why}: {detail(body, 'message') or ''}".rstrip(": "))
            return EXIT_REFUSED
        failures += 1
        pause = pause_before(failures, (retry_after, detail(body, "retry_after")), backoff, max_wait)
        left = ends - time.monotonic()
        if left <= 0 or pause >= left:
            log(f"{why}; giving up: the deadline of {deadline:g} s leaves no time for another attempt")
            return EXIT_GAVE_UP
        log(f"{why}; retrying in {pause:.1f} s ({left:.0f} s left)")
        time.sleep(pause)


def main(env=None):
    env = os.environ if env is None else env
    try:
        missing = [name for name in ("BROKER_API_URL", "BROKER_API_TOKEN", "INSTRUQT_PARTICIPANT_ID")
                   if not env.get(name, "").strip()]
        if missing:
            raise ValueError("missing environment variable(s): " + ", ".join(missing))
        base_url = api_base(env["BROKER_API_URL"])
        extra = whole_seconds(env, "BROKER_EXTEND_SECONDS")
        deadline = seconds(env, "BROKER_DEADLINE_SECONDS", 120)
        backoff = seconds(env, "BROKER_BACKOFF_SECONDS", 2)
        max_wait = seconds(env, "BROKER_MAX_WAIT_SECONDS", 60)
    except ValueError as error:
        log(f"configuration error: {error}")
        return EXIT_CONFIG
    state_dir = env.get("SANDBOX_STATE_DIR") or os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(state_dir, "subtenant_id.txt")
    try:
        with open(path, encoding="utf-8") as handle:
            sandbox_id = handle.read().strip()
    except FileNotFoundError:
        sandbox_id = ""
    if not sandbox_id:
        log(f"no sandbox id in {path}: nothing to extend")
        return EXIT_REFUSED
    return extend(base_url, env["BROKER_API_TOKEN"].strip(), env["INSTRUQT_PARTICIPANT_ID"].strip(), sandbox_id,
                  extra, deadline, backoff, max_wait, state_dir)


if __name__ == "__main__":
    sys.exit(main())
