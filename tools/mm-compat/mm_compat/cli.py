"""mm-compat: coverage, drift and check subcommands."""

import argparse
import sys
from pathlib import Path

from . import check as check_mod
from . import coverage as coverage_mod
from . import coverage_report, drift_report, justified, launch, spec, summary
from .api import Api
from .drift import run as run_drift
from .paths import route_key
from .routes import load_routes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mm-compat", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("coverage", help="classify every upstream operation against the served routes")
    p.add_argument("--spec", required=True, help="the OpenAPI file, or a folder holding it or its source files")
    p.add_argument("--routes", required=True, help="output of `rustchat routes --json`")
    p.add_argument("--out", default="compat-reports", help="report folder (default: compat-reports)")
    p.add_argument("--launch-set", help="launch set file (default: the one shipped with the tool)")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("drift", help="seed a running server and check its answers against upstream's schemas")
    p.add_argument("--spec", required=True)
    p.add_argument("--server", required=True, help="base URL of a fresh rustchat server")
    p.add_argument("--routes", help="`rustchat routes --json` output (default: the operations in OUT/summary.json)")
    p.add_argument("--out", default="compat-reports")
    p.add_argument("--justified", help="justified differences file (default: the one shipped with the tool)")
    p.set_defaults(func=cmd_drift)

    p = sub.add_parser("check", help="fail when a new summary is worse than the committed one")
    p.add_argument("--baseline", required=True, help="the committed summary.json")
    p.add_argument("--current", required=True, help="the summary.json of a new run")
    p.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as err:
        print(f"mm-compat {args.command}: {err}", file=sys.stderr)
        return 2


def cmd_coverage(args) -> int:
    document = spec.load_document(args.spec)
    ops = spec.operations(document)
    routes = load_routes(args.routes)
    cov = coverage_mod.classify(ops, routes)
    spec_keys = {route_key(o.method, o.path) for o in ops}
    statuses = launch.evaluate(launch.load(args.launch_set), routes, spec_keys)
    described = spec.describe(document, args.spec)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "coverage.md").write_text(coverage_report.render(cov, statuses, described), encoding="utf-8")
    section = coverage_report.summary_section(cov, statuses)
    summary.update(out, "coverage", section, described)

    ls = section["launch_set"]
    print(f"coverage: {section['implemented']} of {section['operations']} upstream operations served ({section['percent']} %), {section['not_implemented']} not served (501 expected)")
    print(f"launch set: {ls['served']} of {ls['calls']} served ({ls['percent']} %); legacy calls: {ls['legacy']['served']} of {ls['legacy']['calls']}")
    for line in ls["not_served"]:
        print(f"  not served: {line}")
    print(f"wrote {out / 'coverage.md'} and {out / summary.FILE_NAME}")
    return 0


def cmd_drift(args) -> int:
    document = spec.load_document(args.spec)
    ops = spec.operations(document)
    implemented = _implemented(args)
    known = justified.load(args.justified)
    result = run_drift(document, ops, implemented, Api(args.server), justified.answer_schemas(known))
    mismatches, matched = justified.split([f for f in result.findings if f.is_mismatch], known)
    described = spec.describe(document, args.spec)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "drift.md").write_text(drift_report.render(result, mismatches, matched, described, justified.unused(known, matched)), encoding="utf-8")
    section = drift_report.summary_section(result, mismatches, matched)
    summary.update(out, "drift", section, described)

    g, p = section["get_routes"], section["probes"]
    print(f"drift: {g['validated']} GET answers checked against a schema, {g['no_schema']} without one, {g['failed']} errors, {g['skipped']} skipped")
    print(f"mismatches: {section['mismatches']} ({section['justified']} justified set apart); undocumented properties: {section['undocumented_fields']}")
    print(f"probes: {p['answered_501']} of {p['probed']} not-served operations answer 501; {p['missing']} missing, {p['wrong_501_body']} with another body")
    if section["seed_steps_failed"]:
        print(f"seeding steps that failed: {', '.join(section['seed_steps_failed'])}")
    if section["seed_steps_not_served"]:
        print(f"seeding steps not tried (route not served): {', '.join(section['seed_steps_not_served'])}")
    print(f"wrote {out / 'drift.md'} and {out / summary.FILE_NAME}")
    return 0


def _implemented(args) -> set[tuple[str, str]]:
    if args.routes:
        return {r.key for r in load_routes(args.routes)}
    cov = summary.read(args.out).get("coverage")
    if not cov:
        raise ValueError(f"no --routes, and {Path(args.out) / summary.FILE_NAME} has no coverage section: run coverage first")
    keys = set()
    for line in cov.get("implemented_operations", []) + cov.get("served_outside_spec", []):
        method, path = line.split()[:2]
        keys.add(route_key(method, path))
    return keys


def cmd_check(args) -> int:
    baseline = summary.read(args.baseline)
    current = summary.read(args.current)
    if not baseline:
        print(f"mm-compat check: no committed summary at {args.baseline}; nothing to compare", file=sys.stderr)
        return 2
    verdict = check_mod.compare(baseline, current)
    for note in verdict.notes:
        print(f"note: {note}")
    for line in verdict.improvements:
        print(f"better: {line}")
    for line in verdict.regressions:
        print(f"REGRESSION: {line}")
    if verdict.ok:
        print("compat check passed" + (" (improved: regenerate compat-reports with scripts/compat-report)" if verdict.improvements else ""))
        return 0
    print("compat check failed: the server serves less, or answers further from Mattermost, than compat-reports/summary.json records")
    return 1
