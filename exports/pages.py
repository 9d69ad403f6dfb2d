"""The printed HTML pages (minutes, sign-in sheet, roll): Jinja2 templates in exports/templates/.

Autoescape is on, and every `{{ … }}` goes through `_finalize` first: text loses its bidi controls
(models/safe_text.py) and is escaped the way the papers always were (`html.escape`, quotes too),
so no template can print a person's text raw by forgetting a filter. Markup built here on purpose
(`Markup`) passes as it is.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from models.safe_text import strip_bidi

FONT_STACK = '"Sarabun", "TH Sarabun New", "Noto Sans Thai", "Tahoma", sans-serif'


def escape_text(text: Any) -> Markup:
    """What a person typed, to show as typed: no bidi controls, HTML escaped ("" for None)."""
    return Markup(html.escape(strip_bidi("" if text is None else str(text)), quote=True))


def escape_lines(text: str | None) -> Markup:
    """Several lines of text, each escaped, joined by `<br>`."""
    return Markup("<br>".join(escape_text(line) for line in (text or "").splitlines()))


def _finalize(value: Any) -> Any:
    return value if isinstance(value, Markup) else escape_text(value)


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("exports", "templates"), autoescape=select_autoescape(["html"]),
                      finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["lines"] = escape_lines
    env.globals["font_stack"] = Markup(FONT_STACK)
    return env


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)
