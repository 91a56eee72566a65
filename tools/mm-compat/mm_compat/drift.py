"""The drift run: seed a server, call every served GET route it can fill,
check each JSON answer against upstream's schema, and probe the operations
that are not served for their 501."""

from dataclasses import dataclass, field

from .api import Api, Exchange, error_id, ok
from .fill import fill, probe_params
from .paths import normalise
from .schema import response_schema
from .seed import Seed, seed
from .spec import Operation
from .validate import Finding, check

NOT_IMPLEMENTED_ID = "api.context.not_implemented.app_error"

# Outcomes of a served GET route.
VALIDATED = "validated"  # a JSON answer checked against upstream's schema
NO_SCHEMA = "no_schema"  # answered 2xx; upstream describes no JSON body
FAILED = "failed"  # answered an error although its parameters were seeded
SKIPPED = "skipped"  # a path parameter could not be filled

# Outcomes of a probe of an operation that is not served.
ANSWERS_501 = "501"
WRONG_BODY = "501_wrong_body"
MISSING = "missing"


@dataclass
class RouteCheck:
    operation: Operation
    outcome: str
    status: int = 0
    detail: str = ""


@dataclass
class Probe:
    operation: Operation
    outcome: str
    status: int
    detail: str = ""


@dataclass
class DriftResult:
    seed: Seed
    checks: list[RouteCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    seed_checked: int = 0  # seeding answers checked against their schema


def check_answer(operation: Operation, exchange: Exchange, document: dict, answer_schema: dict | None = None) -> tuple[str, list[Finding]]:
    """Validates one 2xx answer; the outcome and what differs. With an
    answer_schema (a justified whole-body difference), upstream's schema only
    speaks about the body as a whole and the answer_schema about its inside."""
    schema = response_schema(operation.raw, exchange.status, document)
    if schema is None:
        return NO_SCHEMA, []
    if not exchange.is_json:
        return VALIDATED, [Finding(operation.label, "type", "$", "JSON body", "no JSON body")]
    found = check(operation.label, exchange.body, schema, document)
    if answer_schema is not None:
        found = [f for f in found if f.field == "$"] + check(operation.label, exchange.body, answer_schema, document)
    return VALIDATED, found


def classify_probe(exchange: Exchange) -> tuple[str, str]:
    if exchange.status == 501 and error_id(exchange) == NOT_IMPLEMENTED_ID and _has_error_shape(exchange.body):
        return ANSWERS_501, ""
    if exchange.status == 501:
        return WRONG_BODY, f"body {str(exchange.body or exchange.text)[:120]}"
    return MISSING, f"HTTP {exchange.status} {error_id(exchange)}".rstrip()


def _has_error_shape(body) -> bool:
    return isinstance(body, dict) and all(k in body for k in ("id", "message", "status_code")) and body["status_code"] == 501


def run(
    document: dict,
    operations: list[Operation],
    implemented: set[tuple[str, str]],
    api: Api,
    answer_schemas: dict[str, dict] | None = None,
) -> DriftResult:
    answer_schemas = answer_schemas or {}
    served_ops = [op for op in operations if (op.method, normalise(op.path)) in implemented]
    planted = seed(api, implemented)
    result = DriftResult(planted)
    _check_seed_answers(result, operations, api.exchanges, document, answer_schemas)
    gets = sorted((o for o in served_ops if o.method == "GET"), key=lambda o: o.path)
    if planted.admin is None:
        why = "seeding could not log in: " + _first_failure(planted)
        result.checks = [RouteCheck(op, SKIPPED, detail=why) for op in gets]
    else:
        result.checks = [_check_get(op, planted, document, result.findings, answer_schemas.get(op.label)) for op in gets]
        result.probes = _probe(planted.admin, [op for op in operations if (op.method, normalise(op.path)) not in implemented])
    result.findings = sorted(set(result.findings), key=lambda f: (f.route, f.field, f.kind, f.expected, f.actual))
    return result


def _check_get(op: Operation, planted: Seed, document: dict, findings: list[Finding], answer_schema: dict | None) -> RouteCheck:
    filled = fill(op.path, op.raw, planted)
    if filled.missing:
        return RouteCheck(op, SKIPPED, detail=filled.missing)
    exchange = planted.admin.call("GET", op.path, filled.params, query=filled.query or None)
    if not ok(exchange):
        return RouteCheck(op, FAILED, exchange.status, f"HTTP {exchange.status} {error_id(exchange)}".rstrip())
    outcome, found = check_answer(op, exchange, document, answer_schema)
    findings.extend(found)
    return RouteCheck(op, outcome, exchange.status)


def _check_seed_answers(result: DriftResult, operations: list[Operation], exchanges: list[Exchange], document: dict, answer_schemas: dict):
    """The seeding calls are served routes too: their answers are checked the same way."""
    by_key = {(op.method, normalise(op.path)): op for op in operations}
    for exchange in list(exchanges):
        op = by_key.get((exchange.method, normalise(exchange.template)))
        if op is None or not ok(exchange):
            continue
        outcome, found = check_answer(op, exchange, document, answer_schemas.get(op.label))
        if outcome == VALIDATED:
            result.seed_checked += 1
        result.findings.extend(found)


# Reads first, deletes last: a probe that reached a served handler by mistake
# should not remove what later probes rely on.
_PROBE_ORDER = {"GET": 0, "HEAD": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}


def _probe(api: Api, operations: list[Operation]) -> list[Probe]:
    probes = []
    for op in sorted(operations, key=lambda o: (_PROBE_ORDER.get(o.method, 1), o.path)):
        body = {} if op.method in ("POST", "PUT", "PATCH") else None
        exchange = api.call(op.method, op.path, probe_params(op.path), json=body)
        outcome, detail = classify_probe(exchange)
        probes.append(Probe(op, outcome, exchange.status, detail))
    return sorted(probes, key=lambda p: (p.operation.path, p.operation.method))


def _first_failure(planted: Seed) -> str:
    failed = [s for s in planted.steps if not s.ok]
    return f"{failed[0].name}: {failed[0].detail}" if failed else "no step failed"
