import json
from pathlib import Path

import pytest

from mm_compat import spec

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def document() -> dict:
    return spec.load_document(FIXTURES / "spec.yaml")


@pytest.fixture
def ops(document):
    return {op.operation_id: op for op in spec.operations(document)}


def response(name: str):
    return json.loads((FIXTURES / "responses" / f"{name}.json").read_text())
