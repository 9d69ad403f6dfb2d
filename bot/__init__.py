"""The door: Flask app factory, webhook, LINE client, sender, configuration, CLI.

`gunicorn "bot:create_app()"` serves the app. The factory is imported lazily so that light entry
points (`python -m bot.fakeline`, `meetbot --help`) do not pay for Flask, SQLAlchemy and the SDK.
"""


def create_app(*args, **kwargs):
    from bot.app import create_app as factory

    return factory(*args, **kwargs)
