"""summary.json: one section per command, each rewritten by its own run.

No timestamps, so that an unchanged server yields an unchanged file."""

import json
from pathlib import Path

from . import __version__

FILE_NAME = "summary.json"


def read(location: str | Path) -> dict:
    path = Path(location)
    if path.is_dir():
        path = path / FILE_NAME
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def update(out_dir: str | Path, section: str, content: dict, spec: dict | None = None) -> Path:
    path = Path(out_dir) / FILE_NAME
    summary = read(path)
    summary["generated_by"] = f"mm-compat {__version__}"
    if spec is not None:
        summary["spec"] = spec
    summary[section] = content
    ordered = {k: summary[k] for k in ("generated_by", "spec", "coverage", "drift") if k in summary}
    ordered.update({k: v for k, v in summary.items() if k not in ordered})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ordered, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
