"""Loads the upstream OpenAPI description and lists its operations."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .paths import first_segment

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# The bundled file, when a folder holds one.
BUNDLE_NAME = "mattermost-openapi-v4.yaml"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    tags: tuple[str, ...]
    summary: str = ""
    raw: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def area(self) -> str:
        # Upstream spells some tags in two cases ("LDAP" and "ldap").
        if self.tags:
            return self.tags[0].strip().lower()
        return first_segment(self.path)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _source_dir(folder: Path) -> Path | None:
    for candidate in (folder, folder / "v4" / "source", folder / "source"):
        if (candidate / "introduction.yaml").is_file():
            return candidate
    return None


def _read_source_files(folder: Path) -> str:
    """Concatenates per-area fragments as upstream's build does: the
    introduction opens `paths:`, the area files continue it, definitions
    closes with `components:`."""
    parts = sorted(p for p in folder.glob("*.yaml") if p.name not in ("introduction.yaml", "definitions.yaml"))
    files = [folder / "introduction.yaml", *parts]
    if (folder / "definitions.yaml").is_file():
        files.append(folder / "definitions.yaml")
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def load_document(location: str | Path) -> dict:
    """A spec file, a folder holding the bundled file, or a folder of
    upstream's per-area source files."""
    path = Path(location)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
    elif path.is_dir():
        if (path / BUNDLE_NAME).is_file():
            text = (path / BUNDLE_NAME).read_text(encoding="utf-8")
        else:
            source = _source_dir(path)
            if source is None:
                raise FileNotFoundError(f"{path}: neither {BUNDLE_NAME} nor OpenAPI source files (introduction.yaml, ...)")
            text = _read_source_files(source)
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError(f"{path}: not an OpenAPI document (no paths)")
    return document


def operations(document: dict) -> list[Operation]:
    found = []
    for path, item in (document.get("paths") or {}).items():
        for method, op in (item or {}).items():
            if method not in METHODS or not isinstance(op, dict):
                continue
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=op.get("operationId", ""),
                    tags=tuple(op.get("tags") or ()),
                    summary=(op.get("summary") or "").strip(),
                    raw=op,
                )
            )
    return found


def describe(document: dict, location: str | Path) -> dict:
    """What the reports say about the spec they were made from: names and
    versions only, never the local path."""
    info = document.get("info") or {}
    described = {
        "title": info.get("title", ""),
        "version": str(info.get("version", "")),
        "file": _file_label(Path(location)),
        "operations": len(operations(document)),
    }
    commit = _upstream_commit(Path(location))
    if commit:
        described["upstream_commit"] = commit
    return described


def _file_label(location: Path) -> str:
    if location.is_dir():
        return BUNDLE_NAME if (location / BUNDLE_NAME).is_file() else f"{location.name}/ (source files)"
    return location.name


def _upstream_commit(location: Path) -> str | None:
    """The commit named in a SOURCE.txt beside the spec, when there is one."""
    folder = location if location.is_dir() else location.parent
    for candidate in (folder, folder.parent, folder.parent.parent):
        source = candidate / "SOURCE.txt"
        if source.is_file():
            for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
                key, _, value = line.partition(":")
                if key.strip().lower() == "upstream commit" and value.split():
                    return value.split()[0]
    return None
