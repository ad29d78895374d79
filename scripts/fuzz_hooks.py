"""Schemathesis hooks for scripts/fuzz.sh (loaded through SCHEMATHESIS_HOOKS)."""

import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """Sends a valid Idempotency-Key as a real client would: fresh for each request.

    The generator repeats its smallest values ("0", "!") across unrelated bodies, so most
    creates would be 422s (the key was used with another body) and the stateful phase would
    have few todos and exports to go on. A valid key gets a unique suffix; an invalid one is
    sent as generated, so its 400 is still fuzzed. Replays are tested by
    test/idempotency.e2e-spec.ts.
    """
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        headers["Idempotency-Key"] = f"{key[:200]}-{uuid.uuid4().hex}"
