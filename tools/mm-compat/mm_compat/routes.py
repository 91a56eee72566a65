"""Reads the route table printed by `rustchat routes --json`."""

import json
from dataclasses import dataclass
from pathlib import Path

from .paths import route_key


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    @property
    def key(self) -> tuple[str, str]:
        return route_key(self.method, self.path)


def load_routes(location: str | Path) -> list[Route]:
    entries = json.loads(Path(location).read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{location}: expected a JSON array of {{method, path}}")
    return [Route(method=e["method"].upper(), path=e["path"]) for e in entries]


def route_index(routes: list[Route]) -> dict[tuple[str, str], Route]:
    return {r.key: r for r in routes}
