"""Compares a new summary.json with the committed one: fewer served
operations, more mismatches or more operations that no longer answer as they
should is a regression."""

from dataclasses import dataclass

# (section, path to a count, whether a higher value is better, what it is)
GATES = (
    ("coverage", ("implemented",), True, "served operations"),
    ("coverage", ("launch_set", "served"), True, "served launch calls"),
    ("drift", ("get_routes", "validated"), True, "GET answers checked against a schema"),
    ("drift", ("mismatches",), False, "drift mismatches"),
    ("drift", ("get_routes", "failed"), False, "served GET operations answering an error"),
    ("drift", ("probes", "missing"), False, "not-served operations not answering 501"),
    ("drift", ("probes", "wrong_501_body"), False, "501 answers without Mattermost's error body"),
)

# Lists whose new entries are named when a gate fails.
_DETAIL = {
    ("coverage", ("implemented",)): ("implemented_operations", False),
    ("drift", ("mismatches",)): ("mismatch_list", True),
    ("drift", ("get_routes", "failed")): ("failed_routes", True),
    ("drift", ("probes", "missing")): ("missing_operations", True),
}


@dataclass
class Verdict:
    regressions: list[str]
    improvements: list[str]
    notes: list[str]

    @property
    def ok(self) -> bool:
        return not self.regressions


def compare(baseline: dict, current: dict) -> Verdict:
    verdict = Verdict([], [], [])
    for section, path, higher_better, what in GATES:
        if section not in baseline:
            verdict.notes.append(f"the committed summary has no {section} section: {what} not compared")
            continue
        if section not in current:
            verdict.regressions.append(f"the new run has no {section} section ({what} cannot be compared)")
            continue
        old, new = _get(baseline[section], path), _get(current[section], path)
        if old is None or new is None:
            verdict.notes.append(f"{what}: not in both summaries")
            continue
        if new == old:
            continue
        worse = new < old if higher_better else new > old
        line = f"{what}: {old} -> {new}"
        if worse:
            verdict.regressions.append(line + _what_changed(baseline[section], current[section], section, path))
        else:
            verdict.improvements.append(line)
    return verdict


def _get(section: dict, path: tuple[str, ...]):
    node = section
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _what_changed(old: dict, new: dict, section: str, path: tuple[str, ...]) -> str:
    spec = _DETAIL.get((section, path))
    if spec is None:
        return ""
    key, added = spec
    before, after = set(old.get(key, [])), set(new.get(key, []))
    changed = sorted(after - before) if added else sorted(before - after)
    if not changed:
        return ""
    label = "new" if added else "no longer served"
    return "\n    " + label + ":\n      " + "\n      ".join(changed)
