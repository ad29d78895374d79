"""Schemathesis hooks for scripts/fuzz.sh (loaded through SCHEMATHESIS_HOOKS)."""

import json
import os
import re
import urllib.request
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

# Operations that end a session or the account (logout, DELETE /me, ending a session), or
# change the password (whose failures count against the account's logins). Each request to
# one of them is sent with an account of its own, so that it does not end or lock the one
# every other request is sent with.
OWN_ACCOUNT = {
    ("POST", "/auth/logout"),
    ("DELETE", "/me"),
    ("DELETE", "/me/sessions/{id}"),
    ("POST", "/me/password"),
}


def _post(path, body):
    request = urllib.request.Request(
        os.environ["FUZZ_URL"] + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _fresh_token():
    """A session of a new account, for an operation that would end or change the fuzzer's."""
    credentials = {"email": f"fuzz-{uuid.uuid4().hex}@example.com", "password": "fuzzing password"}
    _post("/auth/register", credentials)
    return _post("/auth/login", credentials)["token"]


# Not cached (refresh_interval=None): the operations above need a new account every time.
@schemathesis.auth(refresh_interval=None)
class BearerToken:
    """Every request is authenticated, as the API's clients are.

    Given as an auth provider, not as a header set in a hook, so that Schemathesis knows the
    credentials are real: its auth checks (`ignored_auth`, `missing_required_header`) then
    send the same request without them, and with a wrong one, and expect a 401.
    """

    def get(self, case, context):
        operation = (context.operation.method.upper(), context.operation.path)
        return _fresh_token() if operation in OWN_ACCOUNT else os.environ["FUZZ_TOKEN"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """Sends a valid Idempotency-Key as a real client would: fresh for each request.

    The generator repeats its smallest values ("0", "!") across unrelated bodies, so most
    creates would be 422s (the key was used with another body) and the stateful phase would
    have few todos and exports to go on. A valid key gets a unique suffix; an invalid one is
    sent as generated, so its 400 is still fuzzed. Replays are tested by
    test/idempotency.e2e-spec.ts.
    """
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        case.headers["Idempotency-Key"] = f"{key[:200]}-{uuid.uuid4().hex}"
