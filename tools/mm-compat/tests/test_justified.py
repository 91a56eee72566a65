from conftest import response

from mm_compat import justified
from mm_compat.api import Exchange
from mm_compat.drift import VALIDATED, check_answer
from mm_compat.validate import Finding


def test_justified_findings_leave_the_mismatch_list(fixtures):
    known = justified.load(fixtures / "justified.yaml")
    findings = [
        Finding("GET /api/v4/teams/{team_id}", "type", "$.policy_id", "string", "null"),
        Finding("POST /api/v4/teams", "type", "$.policy_id", "string", "null"),
        Finding("GET /api/v4/teams/{team_id}", "type", "$.name", "string", "integer"),
    ]
    left, matched = justified.split(findings, known)
    assert left == [findings[2]]
    assert [f for f, _ in matched] == findings[:2]
    assert matched[0][1].reason == "a nullable pointer upstream"


def test_entries_that_match_nothing_are_named(fixtures):
    known = justified.load(fixtures / "justified.yaml")
    _, matched = justified.split([Finding("GET /api/v4/emoji", "type", "$", "object", "array")], known)
    stale = {(j.route, j.field) for j in justified.unused(known, matched)}
    assert ("GET /api/v4/users/{user_id}", "$.no_such_field") in stale
    assert ("GET /api/v4/emoji", "$") not in stale


def test_an_answer_schema_keeps_checking_inside_a_justified_body(fixtures, ops, document):
    known = justified.load(fixtures / "justified.yaml")
    schemas = justified.answer_schemas(known)
    exchange = Exchange("GET", "/api/v4/emoji", "", 200, response("emoji_list"), True, "")
    outcome, found = check_answer(ops["ListEmoji"], exchange, document, schemas["GET /api/v4/emoji"])
    assert outcome == VALIDATED
    assert sorted((f.field, f.expected, f.actual) for f in found) == [("$", "object", "array"), ("$[*].id", "string", "integer")]
    left, matched = justified.split([f for f in found if f.is_mismatch], known)
    assert [(f.field, f.actual) for f in left] == [("$[*].id", "integer")]
    assert len(matched) == 1


def test_an_entry_without_a_reason_is_refused():
    import pytest

    with pytest.raises(ValueError):
        justified.parse("justified:\n  - {route: GET /x, field: $}\n")


def test_the_shipped_file_parses():
    for entry in justified.load():
        assert entry.reason and "mattermost/mattermost" in entry.reason
