"""The mobile app's launch calls (launch_set.txt) and whether each is served."""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .paths import normalise, route_key
from .routes import Route, route_index

KINDS = ("required", "optional", "legacy")
# The launch set proper: what a current app calls.
CURRENT_KINDS = ("required", "optional")


@dataclass(frozen=True)
class LaunchCall:
    kind: str
    method: str
    path: str
    note: str


@dataclass(frozen=True)
class LaunchStatus:
    call: LaunchCall
    served: bool
    in_spec: bool


def parse(text: str) -> list[LaunchCall]:
    calls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(None, 3)
        if len(fields) < 3 or fields[0] not in KINDS:
            raise ValueError(f"launch set line {number}: expected KIND METHOD PATH NOTE, got {line!r}")
        kind, method, path = fields[:3]
        calls.append(LaunchCall(kind, method.upper(), path, fields[3] if len(fields) > 3 else ""))
    return calls


def load(location: str | Path | None = None) -> list[LaunchCall]:
    if location is None:
        text = resources.files("mm_compat").joinpath("launch_set.txt").read_text(encoding="utf-8")
    else:
        text = Path(location).read_text(encoding="utf-8")
    return parse(text)


def evaluate(calls: list[LaunchCall], routes: list[Route], spec_keys: set[tuple[str, str]]) -> list[LaunchStatus]:
    served = route_index(routes)
    return [
        LaunchStatus(c, route_key(c.method, c.path) in served, (c.method, normalise(c.path)) in spec_keys)
        for c in calls
    ]


def tally(statuses: list[LaunchStatus], kinds=CURRENT_KINDS) -> tuple[int, int]:
    chosen = [s for s in statuses if s.call.kind in kinds]
    return sum(s.served for s in chosen), len(chosen)
