"""bot.fakeline: the local fake LINE Messaging API, driven with the real line-bot-sdk v3 client."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    FlexBox,
    FlexBubble,
    FlexContainer,
    FlexMessage,
    FlexText,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)

from bot.fakeline import FakeLine, utf16_len
from bot.fakeline.spec import load_spec

REPO = Path(__file__).resolve().parents[1]
ALICE = "U" + "a" * 32
BOB = "U" + "b" * 32
CAROL = "U" + "c" * 32
GROUP = "C" + "1" * 32
T = (2, 5)  # (connect, read) timeout for every SDK call


class Clock:
    def __init__(self):
        self.now = datetime(2025, 8, 15, 3, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fake(clock):
    with FakeLine(clock=clock, seed=7) as f:
        yield f


@pytest.fixture
def api(fake):
    with ApiClient(Configuration(host=fake.url, access_token="test-token")) as client:
        yield MessagingApi(client)


def push(api, text="สวัสดี", to=ALICE, key=None, timeout=T):
    return api.push_message_with_http_info(
        PushMessageRequest(to=to, messages=[TextMessage(text=text)]), x_line_retry_key=key, _request_timeout=timeout
    )


def raw_request(fake, method, path, body=None, headers=None):
    """(status, headers, parsed JSON) without the SDK."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(fake.url + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.headers, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read() or b"null")


# --------------------------------------------------------------------------- basics


def test_push_answers_like_line_and_is_recorded(fake, api):
    resp = push(api)
    assert resp.status_code == 200
    assert resp.headers["x-line-request-id"]
    [sent] = resp.data.sent_messages
    assert sent.id.isdigit() and sent.quote_token
    assert fake.delivered_messages() == [(ALICE, {"type": "text", "text": "สวัสดี"})]
    [rec] = fake.requests
    assert (rec.endpoint, rec.method, rec.path, rec.status) == ("push", "POST", "/v2/bot/message/push", 200)
    assert rec.headers["authorization"] == "Bearer test-token"
    assert rec.request_id == resp.headers["x-line-request-id"]
    assert rec.response["sentMessages"][0]["id"] == sent.id
    assert rec.errors == [] and fake.invalid_requests() == []
    assert fake.deliveries("push") == [rec] and fake.deliveries("reply") == []


def test_auth_unknown_paths_and_request_ids(fake):
    status, headers, body = raw_request(fake, "GET", "/v2/bot/message/quota")
    assert status == 401 and body["message"].startswith("Authentication failed")
    assert headers["x-line-request-id"]
    auth = {"Authorization": "Bearer t"}
    status, headers, body = raw_request(fake, "GET", "/v2/bot/nope", headers=auth)
    assert status == 404 and body == {"message": "Not found"} and headers["x-line-request-id"]
    # the SDK with a trailing slash in host produces //v2/... paths: not LINE's API
    with ApiClient(Configuration(host=fake.url + "/", access_token="t")) as client:
        with pytest.raises(ApiException) as ei:
            MessagingApi(client).get_message_quota(_request_timeout=T)
    assert ei.value.status == 404
    assert [r.endpoint for r in fake.requests] == ["quota", "unknown", "unknown"]


def test_multicast_and_broadcast(fake, api):
    fake.add_profile(ALICE, "Alice")
    fake.add_profile(BOB, "Bob")
    r = api.multicast_with_http_info(MulticastRequest(to=[ALICE, CAROL], messages=[TextMessage(text="m")]),
                                     _request_timeout=T)
    assert r.status_code == 200
    api.broadcast(BroadcastRequest(messages=[TextMessage(text="b")]), _request_timeout=T)
    assert fake.delivered_messages() == [
        (ALICE, {"type": "text", "text": "m"}), (CAROL, {"type": "text", "text": "m"}),
        (ALICE, {"type": "text", "text": "b"}), (BOB, {"type": "text", "text": "b"}),
    ]
    assert fake.quota_used == 4
    assert fake.delivered_messages(to=BOB) == [(BOB, {"type": "text", "text": "b"})]


def test_push_to_malformed_id_is_refused(fake, api):
    with pytest.raises(ApiException) as ei:
        push(api, to="alice")
    assert ei.value.status == 400 and "'to'" in json.loads(ei.value.body)["message"]
    assert fake.deliveries() == [] and fake.invalid_requests()[0].errors


# --------------------------------------------------------------------------- reply tokens


def test_reply_token_is_single_use_and_goes_to_its_chat(fake, api):
    tok = fake.issue_reply_token(GROUP)
    req = ReplyMessageRequest(reply_token=tok, messages=[TextMessage(text="รับทราบ")])
    r = api.reply_message_with_http_info(req, _request_timeout=T)
    assert r.status_code == 200 and r.data.sent_messages[0].id.isdigit()
    with pytest.raises(ApiException) as ei:
        api.reply_message(req, _request_timeout=T)
    assert ei.value.status == 400 and json.loads(ei.value.body) == {"message": "Invalid reply token"}
    with pytest.raises(ApiException):
        api.reply_message(ReplyMessageRequest(reply_token="0" * 32, messages=[TextMessage(text="x")]),
                          _request_timeout=T)
    assert fake.delivered_messages() == [(GROUP, {"type": "text", "text": "รับทราบ"})]
    assert fake.quota_used == 0  # replies are free


def test_reply_token_expires_on_the_injected_clock(fake, api, clock):
    tok = fake.issue_reply_token(ALICE)
    clock.advance(59)
    tok2 = fake.issue_reply_token(ALICE)
    api.reply_message(ReplyMessageRequest(reply_token=tok, messages=[TextMessage(text="in time")]),
                      _request_timeout=T)
    clock.advance(61)
    with pytest.raises(ApiException) as ei:
        api.reply_message(ReplyMessageRequest(reply_token=tok2, messages=[TextMessage(text="late")]),
                          _request_timeout=T)
    assert ei.value.status == 400 and "Invalid reply token" in ei.value.body
    assert [m["text"] for _, m in fake.delivered_messages()] == ["in time"]
    assert fake.requests[-1].at == clock.now


def test_reply_refuses_a_retry_key(fake):
    tok = fake.issue_reply_token(ALICE)
    status, _, body = raw_request(
        fake, "POST", "/v2/bot/message/reply",
        {"replyToken": tok, "messages": [{"type": "text", "text": "x"}]},
        {"Authorization": "Bearer t", "X-Line-Retry-Key": str(uuid.uuid4())})
    assert status == 400 and fake.deliveries() == []


# --------------------------------------------------------------------------- retry keys


def test_retry_key_409_points_at_the_accepted_request(fake, api):
    key = str(uuid.uuid4())
    first = push(api, key=key)
    assert first.status_code == 200
    with pytest.raises(ApiException) as ei:
        push(api, key=key)
    e = ei.value
    assert e.status == 409
    assert e.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    body = json.loads(e.body)
    assert body["message"] == "The retry key is already accepted"
    assert body["sentMessages"][0]["id"] == first.data.sent_messages[0].id
    assert len(fake.delivered_messages()) == 1
    assert fake.requests[-1].accepted_request_id == first.headers["x-line-request-id"]
    # another key is another message; a key that is not a UUID is refused
    push(api, key=str(uuid.uuid4()))
    with pytest.raises(ApiException) as ei:
        push(api, key="not-a-uuid")
    assert ei.value.status == 400
    assert len(fake.delivered_messages()) == 2


# --------------------------------------------------------------------------- validation


def _push_raw(api, messages):
    """Push messages the SDK's models would refuse (construct() skips pydantic validation),
    as a bot that builds JSON itself would."""
    req = PushMessageRequest.construct(to=ALICE, messages=messages)
    return api.push_message_with_http_info(req, _request_timeout=T)


def _qr_item(i):
    return QuickReplyItem(action=MessageAction(label=f"ตัวเลือก {i}", text=str(i)))


INVALID = {
    "unknown message type": ([TextMessage.construct(type="txet", text="hi")], "messages[0].type"),
    "flex box layout": ([FlexMessage(alt_text="x", contents=FlexBubble(
        body=FlexBox.construct(type="box", layout="diagonal", contents=[FlexText(text="x")])))],
        "messages[0].contents.body.layout"),
    "text of 5001 UTF-16 units": ([TextMessage(text="😀" * 2500 + "a")], "messages[0].text"),
    "six messages": ([TextMessage(text=str(i)) for i in range(6)], "messages"),
    "14 quick-reply items": ([TextMessage(text="เลือก", quick_reply=QuickReply.construct(
        items=[_qr_item(i) for i in range(14)]))], "messages[0].quickReply.items"),
    "quick-reply label of 21": ([TextMessage(text="เลือก", quick_reply=QuickReply(
        items=[QuickReplyItem(action=MessageAction(label="ก" * 21, text="x"))]))],
        "messages[0].quickReply.items[0].action.label"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_validation_catches(fake, api, case):
    messages, prop = INVALID[case]
    with pytest.raises(ApiException) as ei:
        _push_raw(api, messages)
    body = json.loads(ei.value.body)
    assert ei.value.status == 400
    assert body["message"] == f"The request body has {len(body['details'])} error(s)"
    assert prop in [d["property"] for d in body["details"]]
    [rec] = fake.invalid_requests()
    assert rec.status == 400 and any(e.startswith(prop + ":") for e in rec.errors)
    assert fake.deliveries() == []


def test_emoji_length_counts_utf16_units(fake, api):
    text = "😀" * 2501
    assert len(text) == 2501 and utf16_len(text) == 5002  # len() would wrongly say it fits
    with pytest.raises(ApiException):
        push(api, text=text)
    push(api, text="😀" * 2500)  # exactly 5000 units
    thai = "ประชุมกลุ่มออมทรัพย์" * 250  # Thai characters and marks count one each
    assert utf16_len(thai) == len(thai) == 5000
    push(api, text=thai)
    assert len(fake.deliveries()) == 2


THAI_BUBBLE = {
    "type": "bubble",
    "header": {"type": "box", "layout": "vertical",
               "contents": [{"type": "text", "text": "นัดประชุมกองทุนหมู่บ้าน", "weight": "bold", "size": "lg"}]},
    "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
        {"type": "box", "layout": "baseline", "contents": [
            {"type": "text", "text": "วันที่", "flex": 2, "color": "#aaaaaa"},
            {"type": "text", "text": "15 ส.ค. 2568 เวลา ๑๔:๐๐ น.", "flex": 5, "wrap": True}]},
        {"type": "separator"},
        {"type": "text", "text": "สถานที่: ศาลาวัด", "wrap": True},
    ]},
    "footer": {"type": "box", "layout": "horizontal", "contents": [
        {"type": "button", "style": "primary",
         "action": {"type": "postback", "label": "ไปได้", "data": "rsvp=yes&m=42", "displayText": "ไปได้"}},
        {"type": "button", "action": {"type": "postback", "label": "ไปไม่ได้", "data": "rsvp=no&m=42"}},
    ]},
}


def test_valid_thai_flex_bubble_passes(fake, api):
    msg = FlexMessage(alt_text="นัดประชุม 15 ส.ค.", contents=FlexContainer.from_json(json.dumps(THAI_BUBBLE)))
    r = api.push_message_with_http_info(PushMessageRequest(to=GROUP, messages=[msg]), _request_timeout=T)
    assert r.status_code == 200 and fake.invalid_requests() == []
    [(to, sent)] = fake.delivered_messages()
    assert to == GROUP and sent["contents"]["header"]["contents"][0]["text"] == "นัดประชุมกองทุนหมู่บ้าน"


def test_limits_the_spec_lacks():
    spec = load_spec()
    text = {"type": "text", "text": "x"}
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [text]}}

    def props(message):
        return [d["property"] for d in spec.validate("push", {"to": ALICE, "messages": [message]})]

    assert props({"type": "flex", "altText": "x", "contents": bubble}) == []
    assert props({"type": "flex", "altText": "ก" * 401, "contents": bubble}) == ["messages[0].altText"]
    big = {"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                      "contents": [{"type": "text", "text": "ก" * 100}] * 120}}
    assert props({"type": "flex", "altText": "x", "contents": big}) == ["messages[0].contents"]
    carousel = {"type": "carousel", "contents": [bubble] * 13}
    assert props({"type": "flex", "altText": "x", "contents": carousel}) == ["messages[0].contents.contents"]
    assert props({"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": [
        {"type": "box", "layout": "vertical", "contents": []}]}}) == ["messages[0].contents.contents[0].type"]
    long_data = {"type": "postback", "label": "x", "data": "d" * 301}
    assert props({"type": "template", "altText": "x", "template": {
        "type": "buttons", "text": "t", "actions": [long_data]}}) == ["messages[0].template.actions[0].data"]
    assert props({"type": "text", "text": "x", "quickReply": {"items": [
        {"type": "action", "action": {"type": "postbak", "label": "x"}}]}}) == [
        "messages[0].quickReply.items[0].action.type"]
    many = {"to": [ALICE] * 501, "messages": [text]}
    assert [d["property"] for d in spec.validate("multicast", many)] == ["to"]


# --------------------------------------------------------------------------- faults


def test_fail_times_then_success(fake, api):
    fake.fail(500, times=2, paths=("push",))
    key = str(uuid.uuid4())
    for _ in range(2):
        with pytest.raises(ApiException) as ei:
            push(api, key=key)
        assert ei.value.status == 500 and json.loads(ei.value.body) == {"message": "Internal server error"}
    assert push(api, key=key).status_code == 200  # the failed attempts did not accept the key
    assert [r.status for r in fake.requests] == [500, 500, 200]
    assert len(fake.delivered_messages()) == 1
    fake.fail(429, times=1)
    with pytest.raises(ApiException) as ei:
        push(api)
    assert ei.value.status == 429 and "rate limit" in ei.value.body
    # faults only touch the endpoints named
    fake.fail(503, paths=("reply",))
    push(api)
    fake.clear_faults()
    api.reply_message(ReplyMessageRequest(reply_token=fake.issue_reply_token(ALICE),
                                          messages=[TextMessage(text="x")]), _request_timeout=T)
    assert len(fake.deliveries()) == 3


def _ratio_pattern(seed):
    with FakeLine(seed=seed) as f, ApiClient(Configuration(host=f.url, access_token="t")) as client:
        f.fail(503, ratio=0.5)
        api = MessagingApi(client)
        out = []
        for _ in range(30):
            try:
                out.append(push(api).status_code)
            except ApiException as e:
                out.append(e.status)
        assert len(f.deliveries()) == out.count(200)
        return out


def test_fail_ratio_is_seeded():
    a = _ratio_pattern(42)
    assert set(a) == {200, 503} and 5 <= a.count(503) <= 25
    assert _ratio_pattern(42) == a


def test_hang_times_out_the_client_but_still_delivers(fake, api):
    fake.hang(0.8, times=1, paths=("push",))
    key = str(uuid.uuid4())
    with pytest.raises(urllib3.exceptions.TimeoutError):
        push(api, text="ช้า", key=key, timeout=(2, 0.2))
    # other calls are not blocked by the hung one
    push(api, text="เร็ว")
    assert [m["text"] for _, m in fake.delivered_messages()] == ["เร็ว"]
    assert fake.wait_for(lambda f: len(f.deliveries()) == 2, timeout=5)
    assert [m["text"] for _, m in fake.delivered_messages()] == ["เร็ว", "ช้า"]
    # the client retries with the same key: 409 = it was delivered
    with pytest.raises(ApiException) as ei:
        push(api, text="ช้า", key=key)
    assert ei.value.status == 409
    assert len(fake.deliveries()) == 2


def test_wait_for_wakes_on_requests_from_another_thread(fake, api):
    t = threading.Thread(target=lambda: push(api))
    t.start()
    assert fake.wait_for(lambda f: len(f.deliveries()) == 1, timeout=5)
    t.join()
    assert fake.wait_for(lambda f: False, timeout=0.05) is False


def test_a_request_hung_across_reset_does_not_leak_into_the_fresh_state(fake, api):
    fake.hang(0.3, times=1)
    t = threading.Thread(target=lambda: push(api, key=str(uuid.uuid4())))
    t.start()
    assert fake.wait_for(lambda f: any(r.status is None for r in f.requests), timeout=5)
    fake.reset()
    t.join()
    assert fake.requests == [] and fake.deliveries() == [] and fake.quota_used == 0


def test_concurrent_retries_deliver_each_key_exactly_once(fake):
    from concurrent.futures import ThreadPoolExecutor

    conf = Configuration(host=fake.url, access_token="t")
    conf.connection_pool_maxsize = 16
    keys = [str(uuid.uuid4()) for _ in range(40)] * 2
    with ApiClient(conf) as client, ThreadPoolExecutor(16) as pool:
        api = MessagingApi(client)

        def send(key):
            try:
                return push(api, text=key, key=key).status_code
            except ApiException as e:
                return e.status

        statuses = list(pool.map(send, keys))
    assert statuses.count(200) == 40 and statuses.count(409) == 40
    assert sorted(m["text"] for _, m in fake.delivered_messages()) == sorted(set(keys))


# --------------------------------------------------------------------------- quota


def test_quota_group_consumption_and_monthly_limit(fake, api):
    assert api.get_message_quota(_request_timeout=T).type == "none"
    fake.add_group(GROUP, "กองทุนหมู่บ้าน", {ALICE: "Alice", BOB: "Bob", CAROL: "Carol"})
    fake.set_quota(4)
    q = api.get_message_quota(_request_timeout=T)
    assert (q.type, q.value) == ("limited", 4)
    push(api, to=GROUP)  # a group push costs one per member
    assert api.get_message_quota_consumption(_request_timeout=T).total_usage == 3
    push(api, to=ALICE)
    with pytest.raises(ApiException) as ei:
        push(api, to=ALICE)
    assert ei.value.status == 429
    assert json.loads(ei.value.body) == {"message": "You have reached your monthly limit."}
    api.reply_message(ReplyMessageRequest(reply_token=fake.issue_reply_token(GROUP),
                                          messages=[TextMessage(text="reply is free")]), _request_timeout=T)
    assert api.get_message_quota_consumption(_request_timeout=T).total_usage == 4
    assert len(fake.deliveries()) == 3


# --------------------------------------------------------------------------- profiles, groups, content


def test_profiles_and_groups(fake, api):
    fake.add_profile(ALICE, "สมศรี", picture_url="https://example.com/a.jpg")
    fake.add_group(GROUP, "กลุ่มออมทรัพย์", {ALICE: "สมศรี (กลุ่ม)", BOB: "Bob"})
    p = api.get_profile(ALICE, _request_timeout=T)
    assert (p.user_id, p.display_name, p.picture_url, p.language) == (ALICE, "สมศรี", "https://example.com/a.jpg", "th")
    with pytest.raises(ApiException) as ei:
        api.get_profile(CAROL, _request_timeout=T)
    assert ei.value.status == 404 and json.loads(ei.value.body) == {"message": "Not found"}
    m = api.get_group_member_profile(GROUP, ALICE, _request_timeout=T)
    assert (m.user_id, m.display_name) == (ALICE, "สมศรี (กลุ่ม)")
    with pytest.raises(ApiException) as ei:
        api.get_group_member_profile(GROUP, CAROL, _request_timeout=T)
    assert ei.value.status == 404
    s = api.get_group_summary(GROUP, _request_timeout=T)
    assert (s.group_id, s.group_name) == (GROUP, "กลุ่มออมทรัพย์")
    assert api.get_group_member_count(GROUP, _request_timeout=T).count == 2
    with pytest.raises(ApiException) as ei:
        api.get_group_summary("C" + "9" * 32, _request_timeout=T)
    assert ei.value.status == 404
    assert [r.endpoint for r in fake.requests] == [
        "profile", "profile", "group_member_profile", "group_member_profile", "group_summary",
        "group_members_count", "group_summary"]
    assert fake.deliveries() == []


def test_content_download_with_messaging_api_blob(fake):
    data = bytes(range(256)) * 10
    fake.add_content("4711", data, "image/png")
    with ApiClient(Configuration(host=fake.url, access_token="t")) as client:
        blob = MessagingApiBlob(client)
        r = blob.get_message_content_with_http_info("4711", _request_timeout=T)
        assert bytes(r.data) == data and r.headers["Content-Type"] == "image/png"
        with pytest.raises(ApiException) as ei:
            blob.get_message_content("4712", _request_timeout=T)
        assert ei.value.status == 404


# --------------------------------------------------------------------------- control plane


def test_http_control_endpoints(fake, api):
    ok = lambda r: r[0] == 200  # noqa: E731
    assert ok(raw_request(fake, "POST", "/_fake/profile", {"userId": ALICE, "displayName": "Alice"}))
    assert ok(raw_request(fake, "POST", "/_fake/group", {"groupId": GROUP, "name": "g", "members": {ALICE: "A", BOB: "B"}}))
    assert api.get_profile(ALICE, _request_timeout=T).display_name == "Alice"
    assert api.get_group_member_count(GROUP, _request_timeout=T).count == 2
    status, headers, body = raw_request(fake, "POST", "/_fake/reply-token", {"chatId": GROUP})
    assert status == 200 and headers["x-line-request-id"]
    api.reply_message(ReplyMessageRequest(reply_token=body["replyToken"], messages=[TextMessage(text="hi")]),
                      _request_timeout=T)
    assert ok(raw_request(fake, "POST", "/_fake/faults", {"action": "fail", "status": 502, "times": 1, "paths": ["push"]}))
    with pytest.raises(ApiException) as ei:
        push(api)
    assert ei.value.status == 502
    assert ok(raw_request(fake, "POST", "/_fake/quota", {"limit": 10, "used": 9}))
    assert api.get_message_quota_consumption(_request_timeout=T).total_usage == 9
    status, _, records = raw_request(fake, "GET", "/_fake/requests")
    assert [r["endpoint"] for r in records] == [
        "profile", "group_members_count", "reply", "push", "quota_consumption"]
    assert records[2]["body"]["messages"] == [{"type": "text", "text": "hi"}] and records[3]["status"] == 502
    _, _, later = raw_request(fake, "GET", f"/_fake/requests?since={records[2]['seq']}")
    assert [r["seq"] for r in later] == [r["seq"] for r in records[3:]]
    _, _, msgs = raw_request(fake, "GET", "/_fake/messages")
    assert msgs == [{"seq": records[2]["seq"], "endpoint": "reply", "to": GROUP, "message": {"type": "text", "text": "hi"}}]
    assert raw_request(fake, "POST", "/_fake/faults", {"action": "explode"})[0] == 400
    assert ok(raw_request(fake, "POST", "/_fake/reset"))
    assert fake.requests == [] and fake.quota_used == 0
    assert raw_request(fake, "GET", "/_fake/requests")[2] == []


def test_module_entry_point_prints_url_and_serves():
    proc = subprocess.Popen([sys.executable, "-m", "bot.fakeline", "--port", "0", "--latency-ms", "1"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("FAKE_LINE_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        with ApiClient(Configuration(host=url, access_token="t")) as client:
            r = MessagingApi(client).push_message_with_http_info(
                PushMessageRequest(to=ALICE, messages=[TextMessage(text="hello")]), _request_timeout=T)
        assert r.status_code == 200
        with urllib.request.urlopen(url + "/_fake/messages", timeout=5) as resp:
            assert json.loads(resp.read())[0]["message"]["text"] == "hello"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    assert proc.returncode == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_module_entry_point_refuses_non_loopback_hosts(host, capsys):
    from bot.fakeline.__main__ import main

    with pytest.raises(SystemExit) as ei:
        main(["--host", host])
    assert "loopback" in str(ei.value.code)
    assert "FAKE_LINE_URL" not in capsys.readouterr().out


def test_rate_limit_answers_429_past_the_limit_and_counts_the_busiest_second(fake, api):
    """As LINE: each endpoint has its own per-second limit; requests past it get 429 and deliver
    nothing; /_fake/state tells the busiest second seen and how many were refused."""
    fake.set_rate_limits({"push": 3, "multicast": 1})
    statuses = []
    for i in range(5):
        try:
            statuses.append(push(api, text=f"ข้อความ {i}").status_code)
        except ApiException as exc:
            statuses.append(exc.status)
            assert "rate limit" in exc.body
    assert statuses == [200, 200, 200, 429, 429]
    api.multicast(MulticastRequest(to=[ALICE], messages=[TextMessage(text="x")]), _request_timeout=T)
    assert len(fake.delivered_messages()) == 4
    assert fake.peak_per_second("push") == 5 and fake.peak_per_second("multicast") == 1
    assert fake.rate_limited == 2
    status, _, state = raw_request(fake, "GET", "/_fake/state")
    assert status == 200 and state["peakPerSecond"] == {"push": 5, "multicast": 1} and state["rateLimited"] == 2
    fake.reset()
    assert fake.peak_per_second("push") == 0 and push(api).status_code == 200
