"""The one table of numbers the server and the browser must write and read alike (tests/cases/numbers.json)."""

from __future__ import annotations

import json
from pathlib import Path

CASES_FILE = Path(__file__).resolve().parents[1] / "cases" / "numbers.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def case_id(case: dict) -> str:
    return " ".join(f"{key}={value}" for key, value in case.items() if key not in ("expect", "reason"))
