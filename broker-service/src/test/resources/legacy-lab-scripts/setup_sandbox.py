#!/usr/bin/env python3
"""What the setup script that tracks use today does with the broker, for the wire tests.

Rebuilt from its description with the standard library (the original uses `requests`): the same
URL ({BROKER_API_URL}/allocate, BROKER_API_URL including /v1), the same headers, the same handling
of the answer (409 and unknown statuses are fatal, exit 1), the same files in the working
directory, and the same formatting of expires_at with time.gmtime, which accepts only a number:
an ISO string there is the failure that made this test necessary.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

url = os.environ.get("BROKER_API_URL")
token = os.environ.get("BROKER_API_TOKEN")
learner = os.environ.get("INSTRUQT_PARTICIPANT_ID")
track = os.environ.get("INSTRUQT_TRACK_SLUG", "unknown-lab")
prefix = os.environ.get("SANDBOX_NAME_PREFIX", "lab")

if not token or not learner:
    print("BROKER_API_TOKEN and INSTRUQT_PARTICIPANT_ID are required", flush=True)
    sys.exit(1)

headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
           "X-Instruqt-Sandbox-ID": learner, "X-Instruqt-Track-ID": track}
if prefix:
    headers["X-Sandbox-Name-Prefix"] = prefix

request = urllib.request.Request(f"{url}/allocate", data=b"", method="POST", headers=headers)
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        allocation = json.loads(response.read())
except urllib.error.HTTPError as error:
    print(f"HTTP {error.code}: {error.read().decode()}", flush=True)
    sys.exit(1)

sandbox_id = allocation.get("sandbox_id", "")
external_id = allocation.get("external_id", "")
sandbox_name = allocation.get("name", "")
expires_at = allocation.get("expires_at", 0)
sfdc_account_id = allocation.get("sfdc_account_id", "")
if not sandbox_id or not external_id:
    print(f"Invalid response: {allocation}", flush=True)
    sys.exit(1)
if "/" in external_id:
    external_id = external_id.split("/")[-1]

for filename, value in {"subtenant_id.txt": sandbox_id, "external_id.txt": external_id,
                        "sandbox_id.txt": external_id, "sandbox_name.txt": sandbox_name,
                        "sfdc_account_id.txt": sfdc_account_id}.items():
    with open(filename, "w") as handle:
        handle.write(value)

print(f"Expires: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(expires_at))}", flush=True)
