"""Processes load line-bot-sdk only when they call LINE (it imports every model and aiohttp)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, clean_env

PROBE = """
import sys
import {module}
print(sorted({{m.split('.')[0] + '.' + m.split('.')[1] for m in sys.modules if m.startswith('linebot.')}}))
"""


def _sdk_modules_after_importing(module: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], cwd=ROOT, env=clean_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_web_app_and_the_cli_import_without_the_line_sdk():
    assert _sdk_modules_after_importing("bot.app") == "[]"
    assert _sdk_modules_after_importing("bot.cli") == "[]"


def test_the_client_loads_the_sdk_on_its_first_call(services, fake_line):
    assert services.line._clients is None  # built by the fixture, not used yet
    assert services.line.push("U" + "1" * 32, [{"type": "text", "text": "สวัสดีครับ"}], "00000000-0000-4000-8000-000000000001").result == "ok"
    assert services.line._clients is not None
