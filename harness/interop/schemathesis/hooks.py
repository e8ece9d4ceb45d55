"""Schemathesis hooks for the run against the reference PE (harness/interop/schemathesis.test.ts).

DEC-036: a search's page.token is an opaque value the PE issued as next_token; one it did
not issue is refused with 400 invalid_request. No JSON Schema can say which strings a PE
issued, so a generated non-empty token is schema-valid yet rightly refused: such positive
cases are dropped, and only they. Negative cases (a token of the wrong type, and any other
invalid member) still run, and the token rules themselves are proved by our own checks
(decision/search/*, DEC-035, DEC-036).

SIG-184: a request presenting context.consistency, a position of the signal log the PE has
not reached, is answered 503 consistency_unavailable after a bounded wait, by design; a
generated position is almost always such a one, so positive cases carrying one are dropped
too. The rule is proved by the check signals/consistency/unreached-position-refused.
"""
import schemathesis
from schemathesis.generation import GenerationMode


def presents_position(body):
    ctx = body.get("context") if isinstance(body, dict) else None
    return isinstance(ctx, dict) and isinstance(ctx.get("consistency"), str)


@schemathesis.hook
def filter_case(context, case):
    body = case.body
    meta = case.meta
    positive = meta is None or meta.generation.mode != GenerationMode.NEGATIVE
    if positive and presents_position(body):
        return False
    page = body.get("page") if isinstance(body, dict) else None
    token = page.get("token") if isinstance(page, dict) else None
    if not isinstance(token, str) or token == "":
        return True
    meta = case.meta
    return meta is not None and meta.generation.mode == GenerationMode.NEGATIVE
