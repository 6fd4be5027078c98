#!/usr/bin/env python3
"""Give this learner's sandbox back to Sandbox Broker (Instruqt clean-up script).

Python 3 standard library only. A drop-in for the clean-up script tracks use today: it reads
subtenant_id.txt written by allocate-sandbox.py (or the setup script in use) and marks that
sandbox for deletion; the broker's jobs delete it. Releasing twice is fine, and a sandbox the
broker no longer knows counts as released.

Environment:
    BROKER_API_URL           the broker's base URL with /v1, e.g. https://broker.example.com/v1
                             (a URL without /v1 gets it appended); required
    BROKER_API_TOKEN         the lab token; required, never printed
    INSTRUQT_PARTICIPANT_ID  the learner the sandbox was allocated to; required
    BROKER_DEADLINE_SECONDS  give up after this long in total; default 300
    BROKER_BACKOFF_SECONDS   first wait between attempts without Retry-After; default 2
    BROKER_MAX_WAIT_SECONDS  longest single wait, even if Retry-After asks for more; default 60
    SANDBOX_STATE_DIR        where subtenant_id.txt is; default: the directory of this script

Exit codes: 0 released (or already released, or nothing was allocated), 1 refused by the
broker (another learner's sandbox, the allocation expired, bad token), 2 gave up at the
deadline (broker unreachable or overloaded), 3 bad configuration (a required variable is
missing).
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

EXIT_OK, EXIT_REFUSED, EXIT_GAVE_UP, EXIT_CONFIG = 0, 1, 2, 3
# Marking for deletion is idempotent for the owner, so any of these is safe to repeat.
RETRY_STATUSES = {429, 500, 502, 503, 504}
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


def parse(raw):
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return {}


def post(url, headers, timeout):
    """One POST: (status, body, Retry-After) for any HTTP answer; OSError or HTTPException when none came."""
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
    """Retry-After (or the body's retry_after) when given, else exponential backoff; jittered."""
    for value in retry_after:
        try:
            if value is not None and float(value) >= 0:
                wait = float(value)
                return min(max_wait, wait + random.uniform(0, min(1.0, wait / 4 + 0.1)))
        except (TypeError, ValueError):
            pass
    ceiling = backoff * (2 ** min(failures - 1, 10))
    return min(max_wait, random.uniform(backoff / 2, max(backoff / 2, ceiling)))


def release(base_url, token, learner, sandbox_id, deadline, backoff, max_wait):
    url = f"{base_url}/sandboxes/{urllib.parse.quote(sandbox_id, safe='')}/mark-for-deletion"
    headers = {"Authorization": "Bearer " + token, "X-Instruqt-Sandbox-ID": learner, "Accept": "application/json"}
    ends = time.monotonic() + deadline
    failures = 0
    while True:
        timeout = max(1.0, min(REQUEST_TIMEOUT_SECONDS, ends - time.monotonic()))
        try:
            status, body, retry_after = post(url, headers, timeout)
        except (OSError, http.client.HTTPException) as error:
            status, body, retry_after = None, {}, None
            why = f"broker unreachable ({type(getattr(error, 'reason', error)).__name__}: {getattr(error, 'reason', error)})"
        else:
            why = f"HTTP {status} {detail(body, 'code') or ''}".rstrip()
        if status == 200:
            log(f"sandbox {sandbox_id} released (status {body.get('status', 'unknown')}); the broker deletes it shortly")
            return EXIT_OK
        if status == 404:
            log(f"sandbox {sandbox_id} is not known to the broker: already released and deleted")
            return EXIT_OK
        # A 403 without the broker's envelope is the WAF's rate rule in front of it: wait, not a refusal.
        blocked_in_front = status == 403 and not detail(body, "code")
        if status is not None and status not in RETRY_STATUSES and not blocked_in_front:
            log(f"the broker refused the release: {why}: {detail(body, 'message') or ''}".rstrip(": "))
            if status == 401:
                log("check BROKER_API_TOKEN: the broker does not know this token")
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
        deadline = seconds(env, "BROKER_DEADLINE_SECONDS", 300)
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
        # The setup script never got a sandbox: nothing to give back, and failing here would
        # stop the rest of the track's clean-up.
        log(f"no sandbox id in {path}: nothing to release")
        return EXIT_OK
    return release(base_url, env["BROKER_API_TOKEN"].strip(), env["INSTRUQT_PARTICIPANT_ID"].strip(), sandbox_id,
                   deadline, backoff, max_wait)


if __name__ == "__main__":
    sys.exit(main())
