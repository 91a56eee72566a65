from conftest import response

from mm_compat import validate
from mm_compat.schema import response_schema


def _check(ops, document, op_id, body, status=200):
    op = ops[op_id]
    return validate.check(op.label, body, response_schema(op.raw, status, document), document)


def test_a_wrong_type_is_caught_with_its_json_path(ops, document):
    findings = _check(ops, document, "GetUser", response("user"))
    mismatches = [f for f in findings if f.is_mismatch]
    assert mismatches == [
        validate.Finding("GET /api/v4/users/{user_id}", "type", "$.timezone.useAutomaticTimezone", "boolean", "string")
    ]


def test_nullable_accepts_null_and_extra_properties_are_information(ops, document):
    findings = _check(ops, document, "GetUser", response("user"))
    assert not any(f.field == "$.nickname" for f in findings)
    extra = [f for f in findings if f.kind == validate.UNDOCUMENTED]
    assert [(f.field, f.actual) for f in extra] == [("$.is_bot", "boolean")]
    assert not extra[0].is_mismatch


def test_array_items_are_one_field(ops, document):
    findings = _check(ops, document, "ListUsers", response("users"))
    assert [(f.field, f.expected, f.actual) for f in findings] == [("$[*].create_at", "integer", "string")]


def test_map_keys_become_a_star(ops, document):
    findings = _check(ops, document, "GetThread", response("thread"))
    fields = {(f.kind, f.field) for f in findings}
    assert ("type", "$.posts.*.create_at") in fields
    assert ("undocumented", "$.posts.*.reply_count") in fields
    assert not any("p2" in f.field for f in findings)


def test_null_for_a_string_and_enum(ops, document):
    findings = _check(ops, document, "GetTeam", {"id": "t", "type": "X", "policy_id": None})
    kinds = {(f.kind, f.field, f.actual) for f in findings}
    assert ("type", "$.policy_id", "null") in kinds
    assert ("enum", "$.type", "'X'") in kinds


def test_required_and_whole_body_type(ops, document):
    findings = _check(ops, document, "GetUser", {"username": "bob"})
    assert [(f.kind, f.field) for f in findings] == [("missing", "$.id")]
    findings = _check(ops, document, "ListEmoji", response("emoji_list"))
    assert [(f.field, f.expected, f.actual) for f in findings] == [("$", "object", "array")]


def test_answers_upstream_describes_no_body_for(ops, document):
    assert response_schema(ops["GetClientConfig"].raw, 200, document) is None
    assert response_schema(ops["GetUser"].raw, 404, document) is None
    assert response_schema(ops["Login"].raw, 201, document) is not None


def test_json_types():
    assert [validate.json_type(v) for v in (None, True, 1, 1.0, 1.5, "s", [], {})] == [
        "null", "boolean", "integer", "integer", "number", "string", "array", "object",
    ]
