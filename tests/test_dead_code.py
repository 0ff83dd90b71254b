"""No dead code: vulture finds functions, classes, methods, attributes and constants nothing uses.

Why vulture and not ruff: ruff's unused-code rules are local to a module (an unused import or local
variable); a function or constant no module calls is invisible to it. vulture reads the whole package and
the benchmarks together. What a framework, a template or the database uses by name is listed, with why,
in tests/dead_code_whitelist.py (Django's own hooks by their names below, and what the templates read by
reading them); anything else unused fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK_NAMES = "Meta,ordering,constraints,indexes,verbose_name,default_auto_field,help,handle,Command,urlpatterns,"
FRAMEWORK_NAMES += "model_config,clean_*"  # Django's and pydantic's by name: a form's clean_<field>, a command's handle
OPTIONS = [
    "--exclude", "mmgame/migrations,mmgame/settings.py",  # migrations are history; settings are read by name
    "--ignore-decorators", "@router.*,@api.*,@register.*,@model_validator",  # endpoints, template tags, validators
    "--ignore-names", FRAMEWORK_NAMES,
]  # fmt: skip


def vulture(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vulture", *paths, *OPTIONS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def template_names(tmp_path: Path) -> Path:
    """What the templates read of the objects they are given (`{{ market.others_trading }}`), as a whitelist:
    vulture reads no templates."""
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"{[{%](.*?)[}%]}", template.read_text(encoding="utf-8"), re.S):
            names.update(re.findall(r"\.([A-Za-z_]\w*)", tag))
    whitelist = tmp_path / "template_names.py"
    whitelist.write_text("".join(f"_.{name}\n" for name in sorted(names)))
    return whitelist


def test_nothing_in_the_code_is_unused(tmp_path):
    result = vulture("mmgame", "benchmarks", "tests/dead_code_whitelist.py", str(template_names(tmp_path)))

    assert result.stdout == "", "unused (remove it, or say in tests/dead_code_whitelist.py who uses it)"
    assert result.returncode == 0, result.stderr


def test_the_check_finds_an_unused_function(tmp_path):
    (tmp_path / "module.py").write_text("def used():\n    return 1\n\n\ndef forgotten():\n    return used()\n")

    result = vulture(str(tmp_path))

    assert "unused function 'forgotten'" in result.stdout
