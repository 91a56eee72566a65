import json

from mm_compat import check
from mm_compat.cli import main

BASE = {
    "coverage": {"implemented": 10, "launch_set": {"served": 5}, "implemented_operations": ["GET /a", "GET /b"]},
    "drift": {
        "get_routes": {"validated": 8, "failed": 0},
        "mismatches": 2,
        "mismatch_list": ["GET /a $.x: integer, got string", "GET /b $.y: string, got null"],
        "probes": {"missing": 1, "wrong_501_body": 0},
    },
}


def _copy(**changes):
    doc = json.loads(json.dumps(BASE))
    for path, value in changes.items():
        node = doc
        *parents, last = path.split("__")
        for p in parents:
            node = node[p]
        node[last] = value
    return doc


def test_same_summary_passes():
    assert check.compare(BASE, BASE).ok


def test_fewer_served_operations_fail_and_name_them():
    current = _copy(coverage__implemented=9, coverage__implemented_operations=["GET /a"])
    verdict = check.compare(BASE, current)
    assert not verdict.ok
    assert "served operations: 10 -> 9" in verdict.regressions[0]
    assert "GET /b" in verdict.regressions[0]


def test_more_mismatches_fail_and_name_the_new_ones():
    current = _copy(drift__mismatches=3, drift__mismatch_list=BASE["drift"]["mismatch_list"] + ["GET /c $.z: integer, got string"])
    verdict = check.compare(BASE, current)
    assert not verdict.ok
    assert "GET /c $.z" in verdict.regressions[0]


def test_improvements_pass():
    current = _copy(coverage__implemented=12, drift__mismatches=1, drift__probes={"missing": 0, "wrong_501_body": 0})
    verdict = check.compare(BASE, current)
    assert verdict.ok
    assert len(verdict.improvements) == 3


def test_a_missing_drift_section_is_a_regression_only_when_the_baseline_has_one():
    assert not check.compare(BASE, {"coverage": BASE["coverage"]}).ok
    assert check.compare({"coverage": BASE["coverage"]}, BASE).ok


def test_the_command_exits_non_zero_on_a_regression(tmp_path, capsys):
    base, worse = tmp_path / "base.json", tmp_path / "new.json"
    base.write_text(json.dumps(BASE))
    worse.write_text(json.dumps(_copy(drift__probes={"missing": 4, "wrong_501_body": 0})))
    assert main(["check", "--baseline", str(base), "--current", str(base)]) == 0
    assert main(["check", "--baseline", str(base), "--current", str(worse)]) == 1
    assert "REGRESSION: not-served operations not answering 501: 1 -> 4" in capsys.readouterr().out
    assert main(["check", "--baseline", str(tmp_path / "none.json"), "--current", str(base)]) == 2
