"""The `meetbot` command line."""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from bot.config import BadSetting, MissingSetting, Settings

DEV_STATE = Path(".meetbot") / "dev.json"
DEV_SETUP_CODE = "1234"  # only with the fake LINE platform, when MEETBOT_SETUP_CODE is not set
DEV_SECRET, DEV_ACCESS_TOKEN = "dev-secret", "dev-token"  # the fake LINE platform's made-up credentials


class Context:
    def __init__(self) -> None:
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The configured settings; without LINE credentials, beside a running `meetbot serve`, those of
        its fake LINE platform (read from DEV_STATE), so every command works in the development set-up."""
        if self._settings is None:
            self._settings = dev_settings(Settings.from_env())
        return self._settings

    @property
    def configured_settings(self) -> Settings:
        """The settings as configured, never the development ones (for `serve`, which makes those)."""
        return Settings.from_env()

    def database(self):
        return self.settings.database()


def dev_settings(settings: Settings) -> Settings:
    """`settings`, pointed at the fake LINE platform of the `meetbot serve` started in this folder
    when no LINE credentials are configured (the README's development set-up)."""
    if settings.line_channel_secret or settings.line_channel_access_token or not DEV_STATE.exists():
        return settings
    try:
        state = json.loads(DEV_STATE.read_text())
        fake_url, secret = state["fake_url"], state["channel_secret"]
    except (OSError, ValueError, KeyError):
        return settings
    return settings.with_(line_channel_secret=secret,
                          line_channel_access_token=state.get("access_token") or DEV_ACCESS_TOKEN,
                          line_api_base_url=fake_url, line_data_api_base_url=fake_url,
                          setup_code=settings.setup_code or DEV_SETUP_CODE)


pass_ctx = click.make_pass_decorator(Context, ensure=True)


def _fail(message: str) -> None:
    click.echo(f"meetbot: {message}", err=True)
    sys.exit(2)


class FriendlyGroup(click.Group):
    """Turns configuration problems into one line instead of a traceback."""

    def invoke(self, ctx):
        from models.schema import SchemaOutOfDate

        try:
            return super().invoke(ctx)
        except (MissingSetting, BadSetting, SchemaOutOfDate) as exc:
            _fail(str(exc))


def _logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One line per tick ("executed successfully") every two seconds says nothing useful.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)


def parse_now(value: str | None) -> datetime | None:
    """ISO 8601; a time without an offset is read in UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time such as 2026-08-14T17:00:00+07:00")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@click.group(cls=FriendlyGroup)
def main() -> None:
    """meetbot: a LINE bot that coordinates meetings for community-finance networks."""


# -- database -----------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(ctx: Context) -> None:
    """Create or update the schema to the latest version (SQLite or PostgreSQL)."""
    from models.schema import schema_state, upgrade

    database = ctx.database()
    upgrade(database)
    click.echo(f"database schema at {schema_state(database)['revision']} ({database.engine.dialect.name})")


@db.command("status")
@pass_ctx
def db_status(ctx: Context) -> None:
    """Show the schema version and whether it is current."""
    from models.schema import schema_state

    state = schema_state(ctx.database())
    click.echo(f"revision {state['revision'] or '(empty)'}, code needs {state['head']}: "
               f"{'current' if state['current'] else 'run meetbot db upgrade'}")


# -- clock --------------------------------------------------------------------------------------


CLOCK_SENDER_LANES = 4


def _clock_context(settings: Settings, database=None):
    from bot.app import build_services
    from scheduler.jobs import ClockContext

    services = build_services(settings, background_delivery=False, db=database, lanes=CLOCK_SENDER_LANES)
    return ClockContext(db=services.db, sender=services.sender, bot_settings=services.bot_settings)


@main.command()
@click.option("--tick-seconds", type=float, default=None, help="Seconds between passes (default 2, or MEETBOT_TICK_SECONDS).")
@click.option("--lease-seconds", type=float, default=None, help="How long the clock lease lasts without renewal (default 15).")
@pass_ctx
def clock(ctx: Context, tick_seconds: float | None, lease_seconds: float | None) -> None:
    """Run the single clock: relays the outbox and fires reminders. Run exactly one (a second waits as standby)."""
    from models.schema import require_current
    from scheduler.clock import Clock

    _logging()
    settings = ctx.settings
    context = _clock_context(settings)
    require_current(context.db)
    Clock(context, timezone=settings.timezone, tick_seconds=tick_seconds or settings.tick_seconds,
          lease_seconds=lease_seconds).run_forever()


@main.command()
@click.option("--idle-seconds", type=float, default=0.5, show_default=True,
              help="How long to wait before looking again when nothing is due.")
@pass_ctx
def send(ctx: Context, idle_seconds: float) -> None:
    """Send the outbox continuously (optional: more sending capacity beside the clock, e.g. for
    big reminder fan-outs; any number may run, rows are claimed so none is sent twice)."""
    import threading

    from models.schema import require_current

    _logging()
    context = _clock_context(ctx.settings)
    require_current(context.db)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    click.echo("meetbot send: ready")  # one line on stdout (logs go to stderr), for supervisors
    sys.stdout.flush()
    while not stopping.is_set():
        report = context.sender.deliver_due(max_batches=4)  # a few batches, then look at the signal
        if not report.handled:
            stopping.wait(idle_seconds)
    context.sender.close()


@main.command()
@click.option("--now", "now_text", default=None, help="Run as if at this ISO 8601 time (default: now).")
@pass_ctx
def tick(ctx: Context, now_text: str | None) -> None:
    """Run one pass of every clock job, then exit (for cron hosts, operators and tests)."""
    from models.base import utcnow
    from models.schema import require_current
    from scheduler.jobs import run_pass

    _logging()
    context = _clock_context(ctx.settings)
    require_current(context.db)
    now = parse_now(now_text) or utcnow()
    results = run_pass(context, now)
    context.sender.close()
    click.echo(json.dumps({"now": now.isoformat(), **results}, ensure_ascii=False, default=str))


# -- outbox -------------------------------------------------------------------------------------


@main.command("outbox")
@click.option("--dead", is_flag=True, help="List dead and uncertain messages with their errors.")
@click.option("--limit", default=50, show_default=True)
@pass_ctx
def outbox_command(ctx: Context, dead: bool, limit: int) -> None:
    """Show pending and dead message counts; --dead lists the dead ones."""
    from models import outbox

    with ctx.database().reading() as session:
        counts = outbox.counts(session)
        rows = outbox.dead_rows(session, limit) if dead else []
    pending = counts.get(outbox.Status.PENDING, 0) + counts.get(outbox.Status.SENDING, 0)
    click.echo(f"pending {pending}, sent {counts.get(outbox.Status.SENT, 0)}, "
               f"dead {counts.get(outbox.Status.DEAD, 0)}, uncertain {counts.get(outbox.Status.UNCERTAIN, 0)}, "
               f"held {counts.get(outbox.Status.HELD, 0)}")
    for row in rows:
        target = row.to or f"{len(row.recipients or [])} users"
        when = (row.finished_at or row.created_at).isoformat(timespec="seconds")
        click.echo(f"#{row.id} {row.status} {row.kind} to {target} at {when} "
                   f"after {row.attempts} attempt(s): {row.last_status or '-'} {row.last_error or ''}")


# -- development --------------------------------------------------------------------------------


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@pass_ctx
def serve(ctx: Context, port: int, host: str) -> None:
    """Development: the web app and the clock in one process. Without LINE credentials it starts
    a fake LINE platform alongside, so `meetbot say` can talk to the bot."""
    from bot.app import build_services, create_app
    from models.schema import upgrade
    from scheduler.clock import Clock
    from scheduler.jobs import ClockContext

    _logging()
    settings = ctx.configured_settings
    fake = None
    if not settings.line_channel_secret and not settings.line_channel_access_token:
        from bot.fakeline import FakeLine

        fake = FakeLine().start()
        settings = settings.with_(line_channel_secret=DEV_SECRET, line_channel_access_token=DEV_ACCESS_TOKEN,
                                  line_api_base_url=fake.url, line_data_api_base_url=fake.url,
                                  setup_code=settings.setup_code or DEV_SETUP_CODE)
        click.echo(f"No LINE credentials set: using a fake LINE platform at {fake.url}")
    database = settings.database()
    upgrade(database)
    services = build_services(settings, db=database)
    app = create_app(settings, services=services)
    Clock(ClockContext(db=database, sender=services.sender, bot_settings=services.bot_settings),
          timezone=settings.timezone, tick_seconds=settings.tick_seconds).start_in_background()
    bot_url = f"http://{host}:{port}"
    if fake is not None:
        DEV_STATE.parent.mkdir(exist_ok=True)
        DEV_STATE.write_text(json.dumps({"bot_url": bot_url, "fake_url": fake.url,
                                         "channel_secret": settings.line_channel_secret,
                                         "access_token": settings.line_channel_access_token}))
        click.echo(f"meetbot is listening at {bot_url}/callback. In another terminal try:\n"
                   f"    .venv/bin/meetbot say สวัสดี\n"
                   f"    .venv/bin/meetbot say 'ผู้ประสานงาน {settings.setup_code}'   (become the coordinator)")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if fake is not None:  # its fake LINE platform is gone: other commands must not look for it
            DEV_STATE.unlink(missing_ok=True)


def _http_json(method: str, url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 10):
    import urllib.request

    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def render_message(message: dict) -> str:
    """A LINE message as plain text for a terminal: its texts, buttons and quick replies."""
    if message.get("type") == "text":
        out = message["text"]
    else:
        parts: list[str] = []

        def walk(obj):
            if isinstance(obj, dict):
                if obj.get("type") == "text" and isinstance(obj.get("text"), str):
                    parts.append(obj["text"])
                elif obj.get("type") == "button" and isinstance(obj.get("action"), dict):
                    parts.append(f"[{obj['action'].get('label', '')}]")
                for key, value in obj.items():
                    if key != "action":
                        walk(value)
            elif isinstance(obj, list):
                for value in obj:
                    walk(value)

        walk(message.get("contents") or message.get("template") or {})
        out = "\n".join(parts) or message.get("altText", f"({message.get('type')} message)")
    quick = (message.get("quickReply") or {}).get("items") or []
    if quick:
        out += "\n" + " ".join(f"[{item['action'].get('label', '')}]" for item in quick)
    return out


@main.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--user", "user_id", default="U" + "0" * 31 + "1", show_default=True, help="LINE user id of the sender.")
@click.option("--name", default="ผู้ทดลอง", show_default=True, help="Display name of the sender.")
@click.option("--group", "group_id", default=None, help="Send in this group chat (an id such as C123...).")
@click.option("--postback", is_flag=True, help="Send WORDS as postback data, as a button tap does.")
@click.option("--wait", default=10.0, show_default=True, help="Seconds to wait for the answer.")
def say(words: tuple[str, ...], user_id: str, name: str, group_id: str | None, postback: bool, wait: float) -> None:
    """Development: send a message to the bot started by `meetbot serve` and print its answer."""
    import time
    import uuid

    from bot.signature import sign

    if not DEV_STATE.exists():
        _fail("no development bot is running here: start `meetbot serve` (without LINE credentials) first")
    state = json.loads(DEV_STATE.read_text())
    fake, bot = state["fake_url"], state["bot_url"]
    chat = group_id or user_id
    try:
        _http_json("POST", f"{fake}/_fake/profile", {"userId": user_id, "displayName": name})
        if group_id:  # the speaker joins the group (its other members stay)
            _http_json("POST", f"{fake}/_fake/group/member", {"groupId": group_id, "name": "กลุ่มทดลอง",
                                                              "userId": user_id, "displayName": name})
        token = _http_json("POST", f"{fake}/_fake/reply-token", {"chatId": chat})["replyToken"]
        seen = max([m["seq"] for m in _http_json("GET", f"{fake}/_fake/messages?since=0")] or [0])
    except OSError as exc:
        _fail(f"the fake LINE platform at {fake} does not answer ({exc}); is `meetbot serve` running?")
    text = " ".join(words)
    source = {"type": "group", "groupId": group_id, "userId": user_id} if group_id else {"type": "user", "userId": user_id}
    event = {"type": "postback", "postback": {"data": text}} if postback else {
        "type": "message", "message": {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text}}
    event.update({"mode": "active", "timestamp": int(time.time() * 1000), "source": source, "replyToken": token,
                  "webhookEventId": uuid.uuid4().hex[:26].upper(), "deliveryContext": {"isRedelivery": False}})
    body = json.dumps({"destination": "U" + "0" * 32, "events": [event]}, ensure_ascii=False).encode()
    signature = sign(state["channel_secret"], body)
    import urllib.request

    request = urllib.request.Request(f"{bot}/callback", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Line-Signature": signature})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
    except OSError as exc:
        _fail(f"the bot at {bot} does not answer ({exc}); is `meetbot serve` running?")
    deadline = time.monotonic() + wait
    answers: list[dict] = []
    while time.monotonic() < deadline:
        answers = [m for m in _http_json("GET", f"{fake}/_fake/messages?since={seen}") if m["to"] == chat]
        if answers:
            time.sleep(0.3)  # a reply may be followed by a push or two
            answers = [m for m in _http_json("GET", f"{fake}/_fake/messages?since={seen}") if m["to"] == chat]
            break
        time.sleep(0.1)
    if not answers:
        click.echo("(no answer)")
        return
    for answer in answers:
        click.echo(f"meetbot: {render_message(answer['message'])}")


@main.command("quota")
@pass_ctx
def quota_command(ctx: Context) -> None:
    """The LINE account's monthly message quota: limit, used, queued and left (read from LINE now)."""
    from bot.line_client import LineClient
    from models import quota
    from models.base import utcnow

    settings = ctx.settings.require("line_channel_access_token")
    line = LineClient(settings)
    try:
        limit, used = line.quota(), line.quota_used()
    except Exception as exc:
        _fail(f"could not read the quota from LINE: {exc}")
    finally:
        line.close()
    with ctx.database().transaction() as session:
        quota.record(session, limit=limit, used=used, now=utcnow())
        view = quota.view(session)
    queued = view.promised
    if limit is None:
        click.echo(f"limit none (this plan has no monthly limit), used {used}, queued {queued}")
    else:
        click.echo(f"limit {limit}, used {used}, queued {queued}, left {max(0, limit - used - queued)}")


from bot.cli_data import register  # noqa: E402  (adds demo, import, role, meeting)
from bot.cli_export import register as register_export  # noqa: E402  (adds export)

register(main)
register_export(main)

if __name__ == "__main__":  # pragma: no cover
    main()
