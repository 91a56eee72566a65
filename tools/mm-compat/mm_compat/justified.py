"""Known, explained differences (justified.yaml) set apart from drift."""

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from .validate import Finding


@dataclass(frozen=True)
class Justification:
    route: str
    field: str
    reason: str
    # For field "$": the shape Mattermost really answers, in the spec's own
    # terms ($refs into its components), so that drift still checks inside it.
    answer_schema: dict | None = field(default=None, compare=False, hash=False)

    def covers(self, finding: Finding) -> bool:
        return finding.route == self.route and finding.field == self.field


def parse(text: str) -> list[Justification]:
    data = yaml.safe_load(text) or {}
    entries = data.get("justified") or []
    out = []
    for n, entry in enumerate(entries, 1):
        missing = [k for k in ("route", "field", "reason") if not entry.get(k)]
        if missing:
            raise ValueError(f"justified entry {n}: missing {', '.join(missing)}")
        # One reason may cover the same field on several routes.
        routes = entry["route"] if isinstance(entry["route"], list) else [entry["route"]]
        reason = " ".join(str(entry["reason"]).split())
        schema = entry.get("answer_schema")
        if schema is not None and entry["field"] != "$":
            raise ValueError(f"justified entry {n}: answer_schema only goes with field $")
        out += [Justification(" ".join(str(r).split()), str(entry["field"]), reason, schema) for r in routes]
    return out


def load(location: str | Path | None = None) -> list[Justification]:
    if location is None:
        text = resources.files("mm_compat").joinpath("justified.yaml").read_text(encoding="utf-8")
    else:
        text = Path(location).read_text(encoding="utf-8")
    return parse(text)


def split(findings: list[Finding], justified: list[Justification]):
    """(findings left, [(finding, justification)] set apart)."""
    left, matched = [], []
    for finding in findings:
        reason = next((j for j in justified if j.covers(finding)), None)
        if reason is None:
            left.append(finding)
        else:
            matched.append((finding, reason))
    return left, matched


def unused(justified: list[Justification], matched: list[tuple[Finding, Justification]]) -> list[Justification]:
    """Entries no finding matched: the server changed, or the entry is wrong."""
    used = {j for _, j in matched}
    return [j for j in justified if j not in used]


def answer_schemas(justified: list[Justification]) -> dict[str, dict]:
    """Route -> the schema its answer is checked against instead of upstream's."""
    return {j.route: j.answer_schema for j in justified if j.answer_schema is not None}
