"""Checks one JSON body against an upstream schema and names each difference
by the JSON path of the field, with array indices and map keys as `*`."""

from dataclasses import dataclass

from jsonschema import Draft4Validator

from .schema import to_json_schema

# Kinds of finding. TYPE and ENUM are mismatches; the others are information.
TYPE = "type"
ENUM = "enum"
ONE_OF = "oneOf"
UNDOCUMENTED = "undocumented"
MISSING = "missing"
MISMATCH_KINDS = (TYPE, ENUM, ONE_OF)


@dataclass(frozen=True)
class Finding:
    route: str  # "GET /api/v4/users/{user_id}", upstream's template
    kind: str
    field: str  # "$.props.channel_ids[*]"
    expected: str
    actual: str

    @property
    def is_mismatch(self) -> bool:
        return self.kind in MISMATCH_KINDS


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def check(route: str, body, openapi_schema: dict, document: dict) -> list[Finding]:
    schema = to_json_schema(openapi_schema, document)
    findings = set()
    for error in Draft4Validator(schema).iter_errors(body):
        findings.update(_findings(route, error))
    return sorted(findings, key=lambda f: (f.route, f.field, f.kind, f.expected, f.actual))


def _findings(route: str, error) -> list[Finding]:
    where = field_pattern(list(error.absolute_schema_path), list(error.absolute_path))
    validator = error.validator
    if validator == "type":
        expected = error.validator_value
        expected = "|".join(expected) if isinstance(expected, list) else str(expected)
        return [Finding(route, TYPE, where, expected, json_type(error.instance))]
    if validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [Finding(route, ENUM, where, f"one of {allowed}", repr(error.instance))]
    if validator in ("oneOf", "anyOf"):
        return [Finding(route, ONE_OF, where, f"{validator} {len(error.validator_value)} schemas", json_type(error.instance))]
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        return [
            Finding(route, UNDOCUMENTED, _join(where, name), "not in the upstream schema", json_type(error.instance[name]))
            for name in sorted(set(error.instance) - known)
        ]
    if validator == "required" and isinstance(error.instance, dict):
        return [
            Finding(route, MISSING, _join(where, name), "required upstream", "absent")
            for name in error.validator_value
            if name not in error.instance
        ]
    return []


def field_pattern(schema_path: list, instance_path: list) -> str:
    """Walks the schema path beside the instance path, so that map keys (an
    `additionalProperties` step) become `*` rather than ids that change from
    run to run."""
    out = "$"
    steps = schema_path[:-1]  # the last step is the failing keyword itself
    i = 0
    while i < len(steps):
        step = steps[i]
        if step == "properties" and i + 1 < len(steps):
            out = _join(out, str(steps[i + 1]))
            i += 2
        elif step == "items":
            out += "[*]"
            i += 1
        elif step in ("additionalProperties", "patternProperties"):
            out = _join(out, "*")
            i += 2 if step == "patternProperties" else 1
        elif step in ("allOf", "anyOf", "oneOf"):
            i += 2
        else:
            i += 1
    if out == "$" and instance_path:
        # Fallback: the plain instance path, indices as [*].
        for part in instance_path:
            out = out + "[*]" if isinstance(part, int) else _join(out, str(part))
    return out


def _join(base: str, name: str) -> str:
    return f"{base}.{name}"
