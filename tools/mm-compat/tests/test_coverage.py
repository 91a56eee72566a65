from mm_compat import coverage, coverage_report, launch, spec
from mm_compat.paths import route_key
from mm_compat.routes import load_routes


def _coverage(fixtures, document):
    ops = spec.operations(document)
    routes = load_routes(fixtures / "routes.json")
    statuses = launch.evaluate(launch.load(fixtures / "launch_set.txt"), routes, {route_key(o.method, o.path) for o in ops})
    return coverage.classify(ops, routes), statuses


def test_classification_ignores_parameter_names(fixtures, document):
    cov, _ = _coverage(fixtures, document)
    status = {c.operation.operation_id: c.status for c in cov.classified}
    assert status["GetUser"] == coverage.IMPLEMENTED  # served as /users/{id}
    assert status["GetTeam"] == coverage.IMPLEMENTED  # served as /teams/{tid}
    assert status["DeleteTeam"] == coverage.NOT_IMPLEMENTED  # same path, other method
    assert status["SyncLdap"] == coverage.NOT_IMPLEMENTED
    served_as = {c.operation.operation_id: c.served_as for c in cov.implemented}
    assert served_as["GetUser"] == "/api/v4/users/{id}"


def test_served_routes_upstream_does_not_describe(fixtures, document):
    cov, _ = _coverage(fixtures, document)
    assert [(r.method, r.path) for r in cov.outside_spec] == [("GET", "/api/v4/websocket")]


def test_grouping_by_area(fixtures, document):
    cov, statuses = _coverage(fixtures, document)
    section = coverage_report.summary_section(cov, statuses)
    assert section["operations"] == 11
    assert section["implemented"] == 7
    assert section["percent"] == 63.6
    assert section["areas"]["ldap"] == {"operations": 2, "implemented": 0, "not_implemented": 2}
    assert section["areas"]["teams"] == {"operations": 2, "implemented": 1, "not_implemented": 1}
    assert section["areas"]["brand"]["operations"] == 1


def test_launch_set_is_reported_with_what_is_not_served(fixtures, document):
    cov, statuses = _coverage(fixtures, document)
    section = coverage_report.summary_section(cov, statuses)["launch_set"]
    assert (section["served"], section["calls"]) == (2, 3)  # required + optional
    assert section["required"] == {"served": 2, "calls": 2}
    assert section["legacy"] == {"served": 0, "calls": 1}
    assert section["not_served"] == ["optional POST /api/v4/ldap/sync", "legacy DELETE /api/v4/teams/{team_id}"]
    websocket = next(s for s in statuses if s.call.path == "/api/v4/websocket")
    assert websocket.served and not websocket.in_spec

    text = coverage_report.render(cov, statuses, spec.describe(document, fixtures / "spec.yaml"))
    assert "**2 of 3 launch calls served (66.7 %)**" in text
    assert "- `POST /api/v4/ldap/sync` (optional)" in text
    assert "| required | `GET /api/v4/users/{user_id}` | yes | yes |" in text
    assert "**7 of 11 operations served (63.6 %)**" in text
    assert "### ldap (0 of 2 served)" in text


def test_the_shipped_launch_set_parses():
    calls = launch.load()
    assert len(calls) >= 20
    assert {c.kind for c in calls} <= set(launch.KINDS)
    assert any(c.method == "POST" and c.path == "/api/v4/users/login" for c in calls)
    assert all(c.note for c in calls), "every launch call says where it comes from"


def test_a_malformed_launch_line_is_an_error():
    import pytest

    with pytest.raises(ValueError):
        launch.parse("sometimes GET /api/v4/users\n")
