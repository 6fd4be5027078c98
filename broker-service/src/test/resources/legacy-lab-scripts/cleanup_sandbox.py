#!/usr/bin/env python3
"""What the clean-up script that tracks use today does with the broker, for the wire tests.

Rebuilt from its description with the standard library: reads subtenant_id.txt from the working
directory (missing or empty: nothing to do, exit 0), POSTs {BROKER_API_URL}/sandboxes/{id}/mark-for-deletion;
200 and 404 are success, 403 and anything else exit 1.
"""

import json
import os
import sys
import urllib.error
import urllib.request

url = os.environ.get("BROKER_API_URL")
token = os.environ.get("BROKER_API_TOKEN")
learner = os.environ.get("INSTRUQT_PARTICIPANT_ID")
if not token or not learner:
    sys.exit(1)
try:
    with open("subtenant_id.txt") as handle:
        subtenant_id = handle.read().strip()
except FileNotFoundError:
    sys.exit(0)
if not subtenant_id:
    sys.exit(0)

request = urllib.request.Request(f"{url}/sandboxes/{subtenant_id}/mark-for-deletion", data=b"", method="POST",
                                 headers={"Authorization": f"Bearer {token}", "X-Instruqt-Sandbox-ID": learner,
                                          "Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=15) as response:
        print(f"Status: {json.loads(response.read()).get('status', 'unknown')}", flush=True)
except urllib.error.HTTPError as error:
    if error.code == 404:
        print(f"Sandbox {subtenant_id} not found (already cleaned up?)", flush=True)
    else:
        print(f"HTTP {error.code}: {error.read().decode()}", flush=True)
        sys.exit(1)
