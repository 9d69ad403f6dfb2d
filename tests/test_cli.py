"""The `meetbot` command line, including the newcomer's path: `meetbot serve` then `meetbot say`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from click.testing import CliRunner

from bot.cli import main
from models import outbox
from tests.conftest import clean_env
from models.base import utcnow
from models.outbox import Status

MEETBOT = [sys.executable, "-m", "bot.cli"]
COMMANDS = [["serve"], ["clock"], ["tick"], ["db", "upgrade"], ["db", "status"], ["outbox"], ["say"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) >= 3


@pytest.mark.slow
def test_a_command_missing_a_setting_stops_with_one_line_naming_it(tmp_path):
    result = subprocess.run(MEETBOT + ["tick"], env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/x.db"),
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "meetbot: LINE_CHANNEL_SECRET is not set (see README, Configuration)"]


def test_a_bad_time_zone_is_named(tmp_path):
    result = subprocess.run(MEETBOT + ["db", "status"], env=clean_env(MEETBOT_TIMEZONE="Asia/Atlantis"),
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "MEETBOT_TIMEZONE='Asia/Atlantis'" in result.stderr and "Traceback" not in result.stderr


def test_settings_are_read_from_a_dot_env_file_and_the_environment_wins(tmp_path):
    from bot.config import Settings

    env_file = tmp_path / ".env"
    env_file.write_text("LINE_CHANNEL_SECRET=from-file\nMEETBOT_TIMEZONE=Asia/Bangkok\nDATABASE_URL=postgres://u@h/db\n")
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "from-env"}, dotenv_path=env_file)
    assert settings.line_channel_secret == "from-env"
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert Settings.from_env({}, dotenv_path=None).database_url == "sqlite:///meetbot.db"


@pytest.mark.slow
def test_db_upgrade_creates_the_schema_and_an_out_of_date_schema_is_reported(tmp_path):
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path}/new.db", LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN="t",
                    LINE_API_BASE_URL="http://127.0.0.1:9")
    stale = subprocess.run(MEETBOT + ["tick"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert stale.returncode == 2
    assert "run `meetbot db upgrade`" in stale.stderr and "Traceback" not in stale.stderr
    upgraded = subprocess.run(MEETBOT + ["db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "database schema at" in upgraded.stdout
    status = subprocess.run(MEETBOT + ["db", "status"], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert "current" in status.stdout


@pytest.mark.slow
def test_outbox_shows_counts_and_lists_dead_rows(db, cli_env, tmp_path):
    now = utcnow()
    with db.transaction() as session:
        outbox.enqueue(session, to="U" + "1" * 32, messages=[{"type": "text", "text": "รอส่ง"}], now=now)
        [dead] = outbox.enqueue(session, to="U" + "2" * 32, messages=[{"type": "text", "text": "ส่งไม่ได้"}], now=now)
        dead.status = Status.DEAD
        dead.last_status = 400
        dead.last_error = "The property, 'to', in the request body is invalid"
        dead.finished_at = now + timedelta(seconds=3)
    summary = subprocess.run(MEETBOT + ["outbox"], env=cli_env, cwd=tmp_path, capture_output=True, text=True,
                             timeout=60)
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("pending 1, sent 0, dead 1")
    listing = subprocess.run(MEETBOT + ["outbox", "--dead"], env=cli_env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=60)
    assert f"#{dead.id} dead push to {'U' + '2' * 32}" in listing.stdout
    assert "400 The property, 'to'" in listing.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_newcomer_starts_the_bot_without_credentials_and_gets_a_reply(tmp_path):
    """The README's path: `meetbot serve` on the SQLite default with the fake LINE platform, then
    `meetbot say` sends a signed message and prints what the bot answered."""
    port = free_port()
    env = clean_env()
    server = subprocess.Popen(MEETBOT + ["serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:  # blocks until the web server says it is listening
            if "Running on" in line:
                break
        else:
            pytest.fail("meetbot serve stopped before listening")
        said = subprocess.run(MEETBOT + ["say", "สวัสดีครับ"], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("meetbot: ")
    assert "วิธีใช้" in said.stdout
    assert (tmp_path / "meetbot.db").exists()  # the embedded default, created by serve


def test_registering_the_command_sets_again_changes_nothing():
    """`bot.cli` registers the data and export commands at import; doing it again (as a plug-in
    or a test might) merges into the same groups instead of failing or duplicating them."""
    from bot.cli import main
    from bot.cli_data import register
    from bot.cli_export import register as register_export

    before = {name: sorted(getattr(command, "commands", {})) for name, command in main.commands.items()}
    register(main)
    register_export(main)
    after = {name: sorted(getattr(command, "commands", {})) for name, command in main.commands.items()}
    assert after == before and {"demo", "import", "role", "meeting", "export"} <= set(after)


# -- the development set-up: every command beside `meetbot serve`, without credentials ----------


def _dev_state(tmp_path, fake_url: str, bot_url: str = "http://127.0.0.1:9", secret: str = "dev-secret") -> None:
    """What `meetbot serve` leaves in its folder when it starts the fake LINE platform (the
    format it wrote before it kept the token too, so an older running serve is understood)."""
    (tmp_path / ".meetbot").mkdir(exist_ok=True)
    (tmp_path / ".meetbot" / "dev.json").write_text(
        json.dumps({"bot_url": bot_url, "fake_url": fake_url, "channel_secret": secret}))


def test_meetbot_tick_and_quota_work_beside_meetbot_serve_without_credentials(meetbot, db, fake_line, tmp_path):
    _dev_state(tmp_path, fake_line.url)
    now = utcnow()
    with db.transaction() as session:
        outbox.enqueue(session, to="U" + "1" * 32, messages=[{"type": "text", "text": "เตือนนัด"}], now=now)
    ticked = meetbot("tick", "--now", now.isoformat())
    assert ticked.exit_code == 0, ticked.output
    assert json.loads(ticked.output.strip().splitlines()[-1])["outbox"]["sent"] == 1
    assert [m["text"] for _, m in fake_line.delivered_messages()] == ["เตือนนัด"]
    quota = meetbot("quota")
    assert quota.exit_code == 0, quota.output
    assert quota.output.startswith("limit ")
    for command in (["outbox"], ["db", "status"], ["meeting", "list"], ["role", "list"], ["demo"]):
        result = meetbot(*command)
        assert result.exit_code == 0, (command, result.output)


def test_speaking_in_a_group_with_meetbot_say_adds_the_speaker_to_its_members(meetbot, app, db, fake_line,
                                                                               tmp_path):
    """Two people speak in one group: both are its members at the fake LINE platform, so the
    clock learns both names and a member count of 2 (not the last speaker alone)."""
    import threading

    from werkzeug.serving import make_server

    from models.network import Chat
    from models.people import Person
    from tests.conftest import TEST_SECRET

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _dev_state(tmp_path, fake_line.url, bot_url=f"http://127.0.0.1:{server.server_port}", secret=TEST_SECRET)
        group = "C" + "7" * 32
        for user, name in (("U" + "a" * 32, "Somchai"), ("U" + "b" * 32, "Daeng")):
            said = meetbot("say", "สวัสดีครับ", "--group", group, "--user", user, "--name", name, "--wait", "0")
            assert said.exit_code == 0, said.output
    finally:
        server.shutdown()
        thread.join(timeout=10)
    ticked = meetbot("tick")
    assert ticked.exit_code == 0, ticked.output
    with db.reading() as session:
        assert session.get(Chat, group).member_count == 2
        names = {p.line_user_id: p.display_name for p in session.query(Person)}
    assert names["U" + "a" * 32] == "Somchai" and names["U" + "b" * 32] == "Daeng"
