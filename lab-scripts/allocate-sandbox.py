#!/usr/bin/env python3
"""Claim this learner's sandbox from Sandbox Broker (Instruqt setup script).

Python 3 standard library only. A drop-in for the setup script tracks use today: the same
environment variables and the same output files, but it retries what is worth retrying
(429, 5xx, connection errors, an empty pool) until a total deadline instead of failing the
lab start.

Environment:
    BROKER_API_URL           the broker's base URL with /v1, e.g. https://broker.example.com/v1
                             (a URL without /v1 gets it appended); required
    BROKER_API_TOKEN         the lab token; required, never printed
    INSTRUQT_PARTICIPANT_ID  the learner (sent as X-Instruqt-Sandbox-ID); required
    INSTRUQT_TRACK_SLUG      the track (X-Instruqt-Track-ID); default "unknown-lab"
    SANDBOX_NAME_PREFIX      only sandboxes whose name starts with this; default "lab";
                             set it empty to accept any sandbox
    BROKER_DEADLINE_SECONDS  give up after this long in total; default 300
    BROKER_BACKOFF_SECONDS   first wait between attempts without Retry-After; default 2
    BROKER_MAX_WAIT_SECONDS  longest single wait, even if Retry-After asks for more; default 60
    BROKER_START_JITTER_SECONDS  random wait before the first call, so a class does not
                             arrive in one instant; default 3 (0 turns it off)
    SANDBOX_STATE_DIR        where the files go; default: the directory of this script

Output files (each written atomically):
    subtenant_id.txt     the broker's sandbox_id (what release-sandbox.py sends back)
    external_id.txt      the CSP account UUID (external_id without "identity/accounts/")
    sandbox_id.txt       the CSP account UUID too: the name existing challenge checks read
    sandbox_name.txt     the sandbox's name, e.g. lab-adventure-0086
    sfdc_account_id.txt  the Salesforce account id; empty when the sandbox has none
    sandbox_env.sh       STUDENT_TENANT, CSP_ACCOUNT_ID, BROKER_SANDBOX_ID, SFDC_ACCOUNT_ID exports

Exit codes: 0 allocated (new or the learner's existing sandbox), 1 refused by the broker
(bad token, forbidden, invalid request), 2 gave up at the deadline (pool stayed empty, broker
unreachable or overloaded, or blocked in front of it: a bare 403 from the WAF's rate rule is
waited out like a 429), 3 bad configuration (a required variable is missing).
"""

import http.client
import json
import os
import random
import shlex
import sys
import tempfile
import time
import urllib.error
import urllib.request

EXIT_OK, EXIT_REFUSED, EXIT_GAVE_UP, EXIT_CONFIG = 0, 1, 2, 3
# Worth another attempt: rate limited, and the statuses of a broker or load balancer that is
# starting, overloaded or briefly without DynamoDB. Allocation is idempotent per learner, so a
# retry after a lost response gets the same sandbox.
RETRY_STATUSES = {429, 500, 502, 503, 504}
REQUEST_TIMEOUT_SECONDS = 30


def log(message):
    # Flushed at once: Instruqt shows the setup log live.
    print(message, file=sys.stderr, flush=True)


class Config:
    def __init__(self, env, script_dir):
        missing = [name for name in ("BROKER_API_URL", "BROKER_API_TOKEN", "INSTRUQT_PARTICIPANT_ID")
                   if not env.get(name, "").strip()]
        if missing:
            raise ValueError("missing environment variable(s): " + ", ".join(missing))
        self.base_url = api_base(env["BROKER_API_URL"])
        self.token = env["BROKER_API_TOKEN"].strip()
        self.learner = env["INSTRUQT_PARTICIPANT_ID"].strip()
        self.track = env.get("INSTRUQT_TRACK_SLUG", "unknown-lab")
        self.prefix = env.get("SANDBOX_NAME_PREFIX", "lab")
        self.deadline = seconds(env, "BROKER_DEADLINE_SECONDS", 300)
        self.backoff = seconds(env, "BROKER_BACKOFF_SECONDS", 2)
        self.max_wait = seconds(env, "BROKER_MAX_WAIT_SECONDS", 60)
        self.start_jitter = seconds(env, "BROKER_START_JITTER_SECONDS", 3)
        self.state_dir = env.get("SANDBOX_STATE_DIR") or script_dir


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


class Reply:
    def __init__(self, status, body, retry_after):
        self.status = status
        self.body = body
        self.retry_after = retry_after

    @property
    def code(self):
        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        return detail.get("code", "") if isinstance(detail, dict) else ""

    @property
    def message(self):
        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        return detail.get("message", "") if isinstance(detail, dict) else ""


def post(url, headers, timeout):
    """One POST; a Reply for any HTTP answer, OSError or HTTPException when none came."""
    request = urllib.request.Request(url, data=b"", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, parse(response.read()), response.headers.get("Retry-After"))
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, parse(error.read()), error.headers.get("Retry-After"))


def parse(raw):
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return {}


def blocked_in_front(reply):
    """A 403 without the broker's error envelope comes from in front of it: the WAF's rate rule
    blocks an address with a bare 403 for a few minutes. Waiting helps; it is not a refusal."""
    return reply.status == 403 and not reply.code


def retry_after_seconds(reply):
    """Retry-After as seconds (the broker sends whole seconds), or the body's retry_after."""
    for value in (reply.retry_after, (reply.body.get("detail") or {}).get("retry_after")
                  if isinstance(reply.body, dict) else None):
        try:
            if value is not None and float(value) >= 0:
                return float(value)
        except (TypeError, ValueError):
            pass
    return None


class Attempts:
    """Waits between attempts: Retry-After when the server gives one, else exponential backoff;
    both with jitter so a class that failed together does not come back together; never past
    the deadline."""

    def __init__(self, config, clock=time.monotonic, sleep=time.sleep):
        self.config = config
        self.clock = clock
        self.sleep = sleep
        self.ends = clock() + config.deadline
        self.failures = 0

    def remaining(self):
        return self.ends - self.clock()

    def wait(self, retry_after, why):
        """Sleeps before the next attempt; False when the deadline leaves no time for one."""
        self.failures += 1
        if retry_after is not None:
            pause = retry_after + random.uniform(0, min(1.0, retry_after / 4 + 0.1))
        else:
            ceiling = self.config.backoff * (2 ** min(self.failures - 1, 10))
            pause = random.uniform(self.config.backoff / 2, max(self.config.backoff / 2, ceiling))
        pause = min(pause, self.config.max_wait)
        left = self.remaining()
        if left <= 0 or pause >= left:
            log(f"{why}; giving up: the deadline of {self.config.deadline:g} s leaves no time for another attempt")
            return False
        log(f"{why}; retrying in {pause:.1f} s ({left:.0f} s left)")
        self.sleep(pause)
        return True


def allocate(config):
    """POST /v1/allocate until it answers 200/201; returns (exit code, body)."""
    headers = {
        "Authorization": "Bearer " + config.token,
        "X-Instruqt-Sandbox-ID": config.learner,
        "X-Instruqt-Track-ID": config.track,
        "Accept": "application/json",
    }
    if config.prefix:
        headers["X-Sandbox-Name-Prefix"] = config.prefix
    attempts = Attempts(config)
    while True:
        timeout = max(1.0, min(REQUEST_TIMEOUT_SECONDS, attempts.remaining()))
        try:
            reply = post(config.base_url + "/allocate", headers, timeout)
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            if not attempts.wait(None, f"broker unreachable ({type(reason).__name__}: {reason})"):
                return EXIT_GAVE_UP, None
            continue
        if reply.status in (200, 201):
            log("allocated a new sandbox" if reply.status == 201 else "this learner already holds a sandbox")
            return EXIT_OK, reply.body
        described = f"HTTP {reply.status} {reply.code}".rstrip()
        if reply.status == 409 and reply.code == "NO_SANDBOXES_AVAILABLE":
            if not attempts.wait(retry_after_seconds(reply), f"{described}: the pool is empty, waiting for a refill"):
                return EXIT_GAVE_UP, None
        elif reply.status in RETRY_STATUSES or blocked_in_front(reply):
            if not attempts.wait(retry_after_seconds(reply), described):
                return EXIT_GAVE_UP, None
        else:
            log(f"the broker refused the allocation: {described}: {reply.message}".rstrip(": "))
            if reply.status == 401:
                log("check BROKER_API_TOKEN: the broker does not know this token")
            return EXIT_REFUSED, None


def write_atomically(directory, name, text):
    """Whole or not at all: a reader never sees half a file, and a rerun replaces it."""
    fd, temporary = tempfile.mkstemp(prefix="." + name + ".", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, os.path.join(directory, name))
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_state(directory, allocation):
    sandbox_id = str(allocation.get("sandbox_id") or "")
    external_id = str(allocation.get("external_id") or "").rsplit("/", 1)[-1]
    name = str(allocation.get("name") or "")
    sfdc_account_id = allocation.get("sfdc_account_id")
    sfdc_account_id = "" if sfdc_account_id is None else str(sfdc_account_id)
    if not sandbox_id or not external_id:
        raise ValueError("the broker's answer lacks sandbox_id or external_id")
    os.makedirs(directory, exist_ok=True)
    files = {
        "subtenant_id.txt": sandbox_id,
        "external_id.txt": external_id,
        # The UUID under this name, as the scripts in use write it: challenge checks read it.
        "sandbox_id.txt": external_id,
        "sandbox_name.txt": name,
        "sfdc_account_id.txt": sfdc_account_id,
    }
    for filename, value in files.items():
        write_atomically(directory, filename, value)
    write_atomically(directory, "sandbox_env.sh", "#!/bin/bash\n# Written by allocate-sandbox.py\n"
                     + f"export STUDENT_TENANT={shlex.quote(name)}\n"
                     + f"export CSP_ACCOUNT_ID={shlex.quote(external_id)}\n"
                     + f"export BROKER_SANDBOX_ID={shlex.quote(sandbox_id)}\n"
                     + f"export SFDC_ACCOUNT_ID={shlex.quote(sfdc_account_id)}\n")
    return files


def expiry_text(expires_at):
    if isinstance(expires_at, (int, float)) and not isinstance(expires_at, bool):
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(expires_at))
    return "unknown"


def main(env=None):
    env = os.environ if env is None else env
    try:
        config = Config(env, os.path.dirname(os.path.abspath(__file__)))
    except ValueError as error:
        log(f"configuration error: {error}")
        return EXIT_CONFIG
    log(f"learner {config.learner}, track {config.track}"
        + (f", sandboxes named {config.prefix}*" if config.prefix else "") + f", broker {config.base_url}")
    if config.start_jitter > 0:
        time.sleep(random.uniform(0, config.start_jitter))
    code, allocation = allocate(config)
    if code != EXIT_OK:
        return code
    try:
        files = write_state(config.state_dir, allocation)
    except ValueError as error:
        log(f"unexpected answer from the broker: {error}")
        return EXIT_REFUSED
    except OSError as error:
        log(f"cannot write the state files to {config.state_dir}: {error}")
        return EXIT_CONFIG
    log(f"sandbox {files['sandbox_name.txt']} (broker id {files['subtenant_id.txt']}, "
        f"account {files['external_id.txt']}), expires {expiry_text(allocation.get('expires_at'))}; "
        f"files in {config.state_dir}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
