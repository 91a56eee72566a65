import json

from mm_compat import summary
from mm_compat.cli import main


def test_coverage_writes_its_report_and_summary(tmp_path, fixtures, capsys):
    out = tmp_path / "reports"
    rc = main(["coverage", "--spec", str(fixtures / "spec.yaml"), "--routes", str(fixtures / "routes.json"), "--out", str(out), "--launch-set", str(fixtures / "launch_set.txt")])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "7 of 11 upstream operations served (63.6 %)" in printed
    assert "not served: optional POST /api/v4/ldap/sync" in printed
    data = json.loads((out / "summary.json").read_text())
    assert data["spec"]["file"] == "spec.yaml"
    assert data["coverage"]["implemented"] == 7
    assert "GET /api/v4/users/{user_id} GetUser" in data["coverage"]["implemented_operations"]
    assert data["coverage"]["served_outside_spec"] == ["GET /api/v4/websocket"]
    assert (out / "coverage.md").read_text().startswith("# Mattermost REST API v4: coverage")
    assert str(tmp_path) not in (out / "summary.json").read_text()


def test_each_command_keeps_the_other_section(tmp_path):
    summary.update(tmp_path, "coverage", {"implemented": 1})
    summary.update(tmp_path, "drift", {"mismatches": 0})
    data = summary.read(tmp_path)
    assert data["coverage"] == {"implemented": 1} and data["drift"] == {"mismatches": 0}
    assert list(data) == ["generated_by", "coverage", "drift"]


def test_a_missing_spec_is_a_clear_error(tmp_path, fixtures, capsys):
    rc = main(["coverage", "--spec", str(tmp_path / "nowhere"), "--routes", str(fixtures / "routes.json"), "--out", str(tmp_path)])
    assert rc == 2
    assert "no such file or folder" in capsys.readouterr().err
