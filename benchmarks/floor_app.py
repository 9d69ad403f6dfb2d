"""The floor of the webhook benchmark: a bare Flask endpoint that only verifies the signature.

`POST /callback` computes the HMAC-SHA256 of the raw body with LINE_CHANNEL_SECRET, compares it
in constant time with X-Line-Signature and answers 200 (400 on a bad signature). No database, no
parsing, no logging: whatever meetbot does on top of this is what the benchmark measures.

Served exactly like the bot (the Procfile's web line, with this factory instead of meetbot's):
    gunicorn "floor_app:create_app()" --chdir benchmarks --workers 2 --threads 4 ...
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, request

from bot.signature import signature_is_valid


def create_app(secret: str | None = None) -> Flask:
    key = (secret or os.environ["LINE_CHANNEL_SECRET"]).encode("utf-8")
    app = Flask(__name__)

    @app.post("/callback")
    def callback():
        signature = request.headers.get("X-Line-Signature", "")
        raw = request.get_data()
        if not signature or not signature_is_valid(key, raw, signature):
            return jsonify(error="invalid signature"), 400
        return jsonify(status="ok"), 200

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok"), 200

    return app
