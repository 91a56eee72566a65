"""Classifies every upstream operation against the served route table."""

from collections import defaultdict
from dataclasses import dataclass

from .paths import normalise
from .routes import Route, route_index
from .spec import Operation

IMPLEMENTED = "implemented"
NOT_IMPLEMENTED = "not_implemented"  # answers 501 (drift confirms it)


@dataclass(frozen=True)
class Classified:
    operation: Operation
    status: str
    served_as: str = ""  # our template, which may name its parameters differently


@dataclass
class Coverage:
    classified: list[Classified]
    outside_spec: list[Route]  # served routes upstream does not describe

    @property
    def implemented(self) -> list[Classified]:
        return [c for c in self.classified if c.status == IMPLEMENTED]

    @property
    def not_implemented(self) -> list[Classified]:
        return [c for c in self.classified if c.status == NOT_IMPLEMENTED]

    def by_area(self) -> dict[str, list[Classified]]:
        areas: dict[str, list[Classified]] = defaultdict(list)
        for c in self.classified:
            areas[c.operation.area].append(c)
        return dict(sorted(areas.items()))


def classify(operations: list[Operation], routes: list[Route]) -> Coverage:
    served = route_index(routes)
    classified = []
    for op in sorted(operations, key=lambda o: (o.path, o.method)):
        route = served.get((op.method, normalise(op.path)))
        if route is not None:
            classified.append(Classified(op, IMPLEMENTED, route.path))
        else:
            classified.append(Classified(op, NOT_IMPLEMENTED))
    described = {(op.method, normalise(op.path)) for op in operations}
    outside = sorted((r for r in routes if r.key not in described), key=lambda r: (r.path, r.method))
    return Coverage(classified, outside)


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
