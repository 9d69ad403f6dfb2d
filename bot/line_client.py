"""The one place that talks to the LINE Messaging API, through line-bot-sdk v3.

It turns every answer into an `Outcome` the sender can act on without knowing HTTP, and logs
endpoint, status and `x-line-request-id` for each call (LINE keeps no logs for us). The SDK has no
default timeout and urllib3 would retry POSTs on connection errors by itself; both are set here so
that every retry is a decision of the outbox, with its retry key.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import urllib3

from bot.config import Settings

log = logging.getLogger("meetbot.line")


class Result:
    OK = "ok"                    # delivered (2xx, or 409: the retry key was already accepted)
    TOKEN_REJECTED = "token"     # 400 Invalid reply token
    RETRY = "retry"              # a passing failure: timeouts, refused connections, 5xx, rate-limit 429
    DEAD = "dead"                # LINE refuses this request for good (other 4xx, the monthly limit)


@dataclass(frozen=True)
class Outcome:
    result: str
    status: int | None = None
    request_id: str | None = None
    error: str = ""
    # False only when the request certainly never reached LINE (connection refused, 429): a reply
    # whose attempt may have arrived must not be turned into a push.
    maybe_delivered: bool = False
    # The ids LINE gave the messages (`sentMessages[].id` of a reply or push, in order; also in a
    # 409's body): a person's message that quotes one of them says so by that id.
    sent_message_ids: tuple[str, ...] = ()


def _sent_message_ids(body: Any) -> tuple[str, ...]:
    """`{"sentMessages": [{"id": "…", "quoteToken": "…"}, …]}` -> the ids; () for anything else."""
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body) if isinstance(body, str) and body else body
    except ValueError:
        return ()
    sent = data.get("sentMessages") if isinstance(data, dict) else None
    if not isinstance(sent, list):
        return ()
    return tuple(str(m.get("id")) if isinstance(m, dict) and m.get("id") is not None else "" for m in sent)


def _header(headers, name: str) -> str | None:
    if not headers:
        return None
    try:
        return headers.get(name) or headers.get(name.title())
    except AttributeError:
        return dict(headers).get(name)


def _message_of(body: Any) -> str:
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body) if body else {}
        message = data.get("message", "")
        details = data.get("details") or []
        if details:
            message += " " + "; ".join(f"{d.get('property', '')}: {d.get('message', '')}" for d in details)
        return message or str(body)[:500]
    except (ValueError, AttributeError):
        return str(body)[:500]


_sdk_module: ModuleType | None = None


def sdk() -> ModuleType:
    """`linebot.v3.messaging`, imported on first use rather than with this module.

    Importing it loads every generated model, the webhook package and aiohttp (1.5–3 s and tens of
    MB on these machines); a process that never calls LINE (a CLI command, a web worker before its
    first reply, the tests' helpers) should not pay for it. Python's import lock makes concurrent
    first uses wait for one import.
    """
    global _sdk_module
    if _sdk_module is None:
        _sdk_module = importlib.import_module("linebot.v3.messaging")
    return _sdk_module


class _SdkClients:
    """The SDK's clients for the API host and the data host (photos), made on first use."""

    def __init__(self, settings: Settings):
        messaging = sdk()
        self.api_client = messaging.ApiClient(self._configuration(messaging, settings, settings.line_api_base_url))
        self.data_client = messaging.ApiClient(
            self._configuration(messaging, settings, settings.line_data_api_base_url))
        self.api = messaging.MessagingApi(self.api_client)
        self.blob = messaging.MessagingApiBlob(self.data_client)

    @staticmethod
    def _configuration(messaging: ModuleType, settings: Settings, host: str):
        config = messaging.Configuration(access_token=settings.line_channel_access_token, host=host.rstrip("/"))
        config.retries = False  # the outbox decides about retries, with the retry key
        config.connection_pool_maxsize = max(4, settings.sender_concurrency)
        return config


class LineClient:
    def __init__(self, settings: Settings):
        settings.require("line_channel_access_token")
        self.timeout = settings.line_timeout
        self._settings = settings
        self._clients: _SdkClients | None = None
        self._clients_lock = threading.Lock()  # held only while the SDK's clients are built, never across I/O

    def _sdk_clients(self) -> _SdkClients:
        if self._clients is None:
            with self._clients_lock:
                if self._clients is None:
                    self._clients = _SdkClients(self._settings)
        return self._clients

    @property
    def api(self):
        return self._sdk_clients().api

    @property
    def blob(self):
        return self._sdk_clients().blob

    def close(self) -> None:
        if self._clients is not None:
            self._clients.api_client.close()
            self._clients.data_client.close()

    # -- sending -------------------------------------------------------------------------------

    # The four sending endpoints go through the SDK's ApiClient (its configuration, auth, REST
    # client and errors) with the JSON body as stored in the outbox, not through the generated
    # request models: their pydantic validation cost more CPU than the HTTP call itself in a
    # 10,000-message fan-out (benchmarks/reminders.py), and it checks less than we do already
    # (models/line_limits.py here; LINE's OpenAPI file at the fake platform in every test).
    # The SDK's `ReplyMessageRequest` & co. remain the reference for the shapes.

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> Outcome:
        return self._post("reply", "/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str) -> Outcome:
        return self._post("push", "/v2/bot/message/push", {"to": to, "messages": messages}, retry_key)

    def multicast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str) -> Outcome:
        return self._post("multicast", "/v2/bot/message/multicast", {"to": to, "messages": messages}, retry_key)

    def broadcast(self, messages: list[dict[str, Any]], retry_key: str) -> Outcome:
        return self._post("broadcast", "/v2/bot/message/broadcast", {"messages": messages}, retry_key)

    def _post(self, endpoint: str, path: str, body: dict[str, Any], retry_key: str | None = None) -> Outcome:
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if retry_key is not None:
            headers["X-Line-Retry-Key"] = retry_key
        return self._send(endpoint, lambda: self._sdk_clients().api_client.call_api(
            path, "POST", {}, [], headers, body=body, post_params=[], files={}, response_types_map={},
            auth_settings=["Bearer"], _return_http_data_only=False, _preload_content=True,
            _request_timeout=self.timeout, collection_formats={}))

    def _send(self, endpoint: str, call) -> Outcome:
        try:
            response = call()
        except sdk().ApiException as exc:
            outcome = self._classify_error(exc)
            log.info("LINE %s -> %s request_id=%s %s", endpoint, exc.status, outcome.request_id, outcome.error)
            return outcome
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
            # The request never left: safe to try again in any form.
            log.warning("LINE %s -> no connection: %s", endpoint, exc)
            return Outcome(Result.RETRY, error=f"no connection: {exc}", maybe_delivered=False)
        except urllib3.exceptions.HTTPError as exc:
            # Read timeouts and broken connections: LINE may or may not have acted on it.
            log.warning("LINE %s -> %s: %s", endpoint, type(exc).__name__, exc)
            return Outcome(Result.RETRY, error=f"{type(exc).__name__}: {exc}", maybe_delivered=True)
        request_id = _header(response.headers, "x-line-request-id")
        log.info("LINE %s -> %s request_id=%s", endpoint, response.status_code, request_id)
        return Outcome(Result.OK, status=response.status_code, request_id=request_id, maybe_delivered=True,
                       sent_message_ids=_sent_message_ids(getattr(response, "raw_data", None)))

    @staticmethod
    def _classify_error(exc) -> Outcome:
        status = exc.status
        request_id = _header(exc.headers, "x-line-request-id")
        message = _message_of(exc.body)
        if status == 409:
            # LINE already accepted a request with this retry key ("Retry failed API requests").
            accepted = _header(exc.headers, "x-line-accepted-request-id")
            return Outcome(Result.OK, status, accepted or request_id, "already accepted (409)", True,
                           _sent_message_ids(exc.body))
        if status == 400 and "reply token" in message.lower():
            return Outcome(Result.TOKEN_REJECTED, status, request_id, message, False)
        if status == 429:
            if "monthly limit" in message.lower():
                return Outcome(Result.DEAD, status, request_id, message, False)
            return Outcome(Result.RETRY, status, request_id, message, False)
        if status is not None and status >= 500:
            return Outcome(Result.RETRY, status, request_id, message, True)
        return Outcome(Result.DEAD, status, request_id, message, False)

    # -- reading -------------------------------------------------------------------------------

    def _read(self, endpoint: str, call):
        try:
            response = call()
        except sdk().ApiException as exc:
            log.info("LINE %s -> %s request_id=%s", endpoint, exc.status,
                     _header(exc.headers, "x-line-request-id"))
            raise
        log.info("LINE %s -> %s request_id=%s", endpoint, response.status_code,
                 _header(response.headers, "x-line-request-id"))
        return response.data

    def profile(self, user_id: str):
        return self._read("profile", lambda: self.api.get_profile_with_http_info(
            user_id, _request_timeout=self.timeout))

    def group_member_profile(self, group_id: str, user_id: str):
        return self._read("group_member_profile", lambda: self.api.get_group_member_profile_with_http_info(
            group_id, user_id, _request_timeout=self.timeout))

    def group_summary(self, group_id: str):
        return self._read("group_summary", lambda: self.api.get_group_summary_with_http_info(
            group_id, _request_timeout=self.timeout))

    def group_member_count(self, group_id: str) -> int:
        return self._read("group_members_count", lambda: self.api.get_group_member_count_with_http_info(
            group_id, _request_timeout=self.timeout)).count

    def quota(self) -> int | None:
        """The plan's monthly limit, or None when the plan has no limit."""
        data = self._read("quota", lambda: self.api.get_message_quota_with_http_info(
            _request_timeout=self.timeout))
        return data.value if data.type == "limited" else None

    def quota_used(self) -> int:
        return self._read("quota_consumption", lambda: self.api.get_message_quota_consumption_with_http_info(
            _request_timeout=self.timeout)).total_usage

    def content(self, message_id: str) -> tuple[bytes, str | None]:
        """A message's content (a photo) and its content type, from the data host."""
        try:
            response = self.blob.get_message_content_with_http_info(message_id, _request_timeout=self.timeout)
        except sdk().ApiException as exc:
            log.info("LINE content -> %s request_id=%s", exc.status, _header(exc.headers, "x-line-request-id"))
            raise
        log.info("LINE content -> %s request_id=%s", response.status_code,
                 _header(response.headers, "x-line-request-id"))
        return bytes(response.data), _header(response.headers, "content-type")
