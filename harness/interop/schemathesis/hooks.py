"""Schemathesis hooks for the run against the reference PE (harness/interop/schemathesis.test.ts).

DEC-036: a search's page.token is an opaque value the PE issued as next_token; one it did
not issue is refused with 400 invalid_request. No JSON Schema can say which strings a PE
issued, so a generated non-empty token is schema-valid yet rightly refused: such positive
cases are dropped, and only they. Negative cases (a token of the wrong type, and any other
invalid member) still run, and the token rules themselves are proved by our own checks
(decision/search/*, DEC-035, DEC-036).
"""
import schemathesis
from schemathesis.generation import GenerationMode


@schemathesis.hook
def filter_case(context, case):
    body = case.body
    page = body.get("page") if isinstance(body, dict) else None
    token = page.get("token") if isinstance(page, dict) else None
    if not isinstance(token, str) or token == "":
        return True
    meta = case.meta
    return meta is not None and meta.generation.mode == GenerationMode.NEGATIVE
