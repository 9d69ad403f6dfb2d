"""Where the papers live (issue 11): exports/ renders, models/ reads. models/ imports neither
handlers/ nor exports/ (not even inside a function), exports/ imports neither handlers/ nor Flask
nor linebot, every module of exports/ stays small, and the HTML templates ship with the package."""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{path.relative_to(ROOT)} imports {module}"
                  for path in (ROOT / folder).rglob("*.py")
                  for module in imported_modules(path)
                  if module.split(".")[0] in forbidden)


def test_the_domain_imports_neither_handlers_nor_exports_nor_the_web():
    assert offenders("models", ("handlers", "exports", "flask", "linebot", "bot")) == []


def test_the_papers_import_neither_handlers_nor_flask_nor_linebot():
    assert offenders("exports", ("handlers", "flask", "linebot", "bot", "scheduler")) == []


def test_the_old_papers_module_is_gone():
    assert not (ROOT / "models" / "papers.py").exists()


@pytest.mark.parametrize("path", sorted((ROOT / "exports").glob("*.py")), ids=lambda p: p.name)
def test_each_papers_module_is_under_500_lines_and_each_function_under_60(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 500
    long = [node.name for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60]
    assert long == []


def test_the_three_printed_pages_are_templates_shipped_with_the_package():
    templates = resources.files("exports") / "templates"
    for name in ("base.html", "minutes.html", "attendance.html", "roll.html"):
        assert (templates / name).is_file(), name
    assert "exports" in (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-data]")[1]


def test_a_template_prints_a_persons_text_escaped_even_without_a_filter():
    from exports.pages import render

    page = render("roll.html", title="<script>alert('x')</script>\u202e", date_from="", date_to="", people=[], total=0)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\u202e" not in page
