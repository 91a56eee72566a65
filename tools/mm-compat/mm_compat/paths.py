"""Path templates compared without their parameter names.

Upstream and rustchat may name the same parameter differently, so two
templates are the same route when they match once every `{...}` is `{}`.
"""

import re

_PARAM = re.compile(r"\{[^}]*\}")

V4_PREFIX = "/api/v4"


def normalise(path: str) -> str:
    return _PARAM.sub("{}", path.rstrip("/") or "/")


def param_names(path: str) -> list[str]:
    return [m[1:-1] for m in _PARAM.findall(path)]


def route_key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), normalise(path)


def first_segment(path: str) -> str:
    """The area a path belongs to when its operation has no tag."""
    rest = path[len(V4_PREFIX):] if path.startswith(V4_PREFIX) else path
    for segment in rest.split("/"):
        if segment and not segment.startswith("{"):
            return segment
    return "root"
