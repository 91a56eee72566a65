"""The drift pieces that need no server: filling parameters, judging probes,
and the report of a hand-made run."""

from conftest import response

from mm_compat import drift, drift_report
from mm_compat.api import Exchange
from mm_compat.fill import PROBE_ID, fill, probe_params
from mm_compat.seed import Seed, Step
from mm_compat.validate import Finding

NOT_IMPLEMENTED = {"id": drift.NOT_IMPLEMENTED_ID, "message": "not implemented", "detailed_error": "", "request_id": "r", "status_code": 501}


def _exchange(status, body, template="/api/v4/x", is_json=True):
    return Exchange("GET", template, "", status, body, is_json, "")


def test_path_and_query_parameters_come_from_the_seed(ops):
    seed = Seed(values={"user_id": "u1", "team_id": "t1"})
    filled = fill(ops["GetUser"].path, ops["GetUser"].raw, seed)
    assert (filled.params, filled.missing) == ({"user_id": "u1"}, "")
    config = fill(ops["GetClientConfig"].path, ops["GetClientConfig"].raw, seed)
    assert config.query == {"format": "old"}


def test_a_parameter_that_cannot_be_filled_says_why(ops):
    seed = Seed(failed={"post_id": "seed step 'post' failed: HTTP 500"})
    filled = fill(ops["GetThread"].path, ops["GetThread"].raw, seed)
    assert filled.missing == "{post_id}: seed step 'post' failed: HTTP 500"
    assert fill("/api/v4/things/{thing_id}", {}, seed).missing == "{thing_id}: no seeded value for thing_id"
    unknown_query = {"parameters": [{"name": "term", "in": "query", "required": True}]}
    assert fill("/api/v4/things", unknown_query, seed).missing == "required query parameter term: no value known"


def test_probes_use_ids_nothing_has():
    assert probe_params("/api/v4/teams/{team_id}/members/{user_id}") == {"team_id": PROBE_ID, "user_id": PROBE_ID}


def test_a_501_must_carry_mattermosts_error_body():
    assert drift.classify_probe(_exchange(501, NOT_IMPLEMENTED))[0] == drift.ANSWERS_501
    assert drift.classify_probe(_exchange(501, {"error": "nope"}))[0] == drift.WRONG_BODY
    outcome, detail = drift.classify_probe(_exchange(405, None, is_json=False))
    assert (outcome, detail) == (drift.MISSING, "HTTP 405")
    outcome, detail = drift.classify_probe(_exchange(400, {"id": "api.context.invalid_url_param.app_error"}))
    assert detail == "HTTP 400 api.context.invalid_url_param.app_error"


def test_answers_without_an_upstream_schema_are_only_counted(ops, document):
    outcome, found = drift.check_answer(ops["GetClientConfig"], _exchange(200, {"Version": "10"}), document)
    assert (outcome, found) == (drift.NO_SCHEMA, [])
    outcome, found = drift.check_answer(ops["GetUser"], _exchange(200, response("user")), document)
    assert outcome == drift.VALIDATED and any(f.is_mismatch for f in found)


def test_report_of_a_run(ops):
    result = drift.DriftResult(Seed(steps=[Step("team", True, "POST /api/v4/teams -> 201"), Step("custom status", False, "not served", served=False)]))
    result.checks = [
        drift.RouteCheck(ops["GetUser"], drift.VALIDATED, 200),
        drift.RouteCheck(ops["GetClientConfig"], drift.NO_SCHEMA, 200),
        drift.RouteCheck(ops["GetThread"], drift.SKIPPED, detail="{post_id}: no seeded value"),
        drift.RouteCheck(ops["GetTeam"], drift.FAILED, 500, "HTTP 500"),
    ]
    result.probes = [drift.Probe(ops["SyncLdap"], drift.ANSWERS_501, 501), drift.Probe(ops["TestLdap"], drift.MISSING, 405, "HTTP 405")]
    mismatch = Finding("GET /api/v4/users/{user_id}", "type", "$.create_at", "integer", "string")
    info = Finding("GET /api/v4/users/{user_id}", "undocumented", "$.is_bot", "not in the upstream schema", "boolean")
    result.findings = [mismatch, info]
    section = drift_report.summary_section(result, [mismatch], [])
    assert section["get_routes"] == {"served": 4, "validated": 1, "no_schema": 1, "failed": 1, "skipped": 1}
    assert section["mismatches"] == 1 and section["undocumented_fields"] == 1
    assert section["probes"] == {"probed": 2, "answered_501": 1, "wrong_501_body": 0, "missing": 1}
    assert section["missing_operations"] == ["POST /api/v4/ldap/test: HTTP 405"]
    assert section["seed_steps_failed"] == [] and section["seed_steps_not_served"] == ["custom status"]
    text = drift_report.render(result, [mismatch], [], {"title": "T", "version": "1"})
    assert "| `GET /api/v4/users/{user_id}` | `$.create_at` | integer | string |" in text
    assert "- `POST /api/v4/ldap/test`: HTTP 405" in text
    assert "| `create_at` | integer | string | 1 |" in text


def test_most_common_kinds_group_by_property_name():
    found = [
        Finding("GET /a", "type", "$.x.create_at", "integer", "string"),
        Finding("GET /b", "type", "$[*].create_at", "integer", "string"),
        Finding("GET /c", "type", "$.name", "string", "null"),
    ]
    top = drift_report.common_kinds(found)
    assert top[0][:4] == ("create_at", "integer", "string", 2)
