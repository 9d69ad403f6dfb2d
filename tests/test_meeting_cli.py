"""`meetbot role …` and `meetbot meeting list|show [--json]` on the demo's network and meetings."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from models.meetings import Meeting, Response, get_meeting, record_answer
from models.network import FinancialGroup, ensure_chat, link_chat
from models.people import Person, PersonRole, Role, ensure_person, grant
from models.seed import load_demo

NOW = datetime(2026, 7, 27, 1, 41, tzinfo=timezone.utc)
LEADER = "U" + "a1" * 16
MEMBER = "U" + "b2" * 16


@pytest.fixture
def demo(db) -> dict[str, int]:
    """The demo for 2026; meeting ids by key."""
    with db.transaction() as session:
        report = load_demo(session, year=2026, now=NOW)
    keys = ["prep", "bang_chak", "tha_rai_1", "mamuang", "tha_rai_2"]
    return dict(zip(keys, (m[0] for m in report.meetings)))


def group_id(session, name: str) -> int:
    return session.scalar(select(FinancialGroup.id).where(FinancialGroup.name == name))


def roles_of(db, line_user_id: str) -> list[tuple]:
    with db.reading() as session:
        return session.execute(select(PersonRole.role, FinancialGroup.name, PersonRole.duty)
                               .join(Person, Person.id == PersonRole.person_id)
                               .outerjoin(FinancialGroup, FinancialGroup.id == PersonRole.group_id)
                               .where(Person.line_user_id == line_user_id).order_by(PersonRole.id)).all()


# -- roles ---------------------------------------------------------------------------------------


def test_grant_a_leader_creates_the_person_and_the_role(meetbot, db, demo):
    result = meetbot("role", "grant", LEADER, "leader", "--group", "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก",
                     "--name", "สมชาย ใจดี")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (f"granted ผู้นำกลุ่ม (leader) of กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก to {LEADER} "
                                     "สมชาย ใจดี (new person)")
    assert roles_of(db, LEADER) == [("leader", "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก", None)]

    again = meetbot("role", "grant", LEADER, "leader", "--group", "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก")
    assert again.exit_code == 0 and "already had" in again.output
    assert len(roles_of(db, LEADER)) == 1

    with db.reading() as session:
        fund_id = group_id(session, "กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก")
    by_id = meetbot("role", "grant", LEADER, "member", "--group", str(fund_id))
    assert by_id.exit_code == 0 and "สมาชิก (member) of กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก" in by_id.output

    listing = meetbot("role", "list", "--role", "leader")
    assert listing.exit_code == 0
    assert LEADER in listing.output and "สมชาย ใจดี" in listing.output and "1 leader" in listing.output


def test_grant_a_facilitator_with_duty_and_sub_district(meetbot, db, demo):
    result = meetbot("role", "grant", MEMBER, "facilitator", "--duty", "recorder", "--sub-district", "ต.ท่าไร่")
    assert result.exit_code == 0, result.output
    assert "คุณอำนวย (facilitator) in ต.ท่าไร่ as คนบันทึก (recorder)" in result.output
    english = meetbot("role", "grant", MEMBER, "facilitator", "--duty", "process", "--sub-district", "Tha Rai")
    assert english.exit_code == 0 and "updated" in english.output
    assert roles_of(db, MEMBER) == [("facilitator", None, "process")]
    nowhere = meetbot("role", "grant", MEMBER, "facilitator", "--sub-district", "ปากพูน")
    assert nowhere.exit_code == 2 and "no sub-district 'ปากพูน'" in nowhere.output and "ท่าไร่" in nowhere.output


@pytest.mark.parametrize("user_id", ["U123", "u" + "a" * 32, "U" + "A" * 32, "@somchai", "C" + "a" * 32])
def test_grant_refuses_anything_but_a_line_user_id_in_one_line(meetbot, db, demo, user_id):
    result = meetbot("role", "grant", user_id, "coordinator")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "is not a LINE user id: U followed by 32 hex digits" in result.stderr
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person).where(Person.line_user_id.is_not(None))) == 0


def test_grant_with_an_ambiguous_group_lists_the_candidates(meetbot, db, demo):
    result = meetbot("role", "grant", LEADER, "leader", "--group", "หมู่ 1 ต.ท่าไร่")
    assert result.exit_code == 2
    assert "'หมู่ 1 ต.ท่าไร่' matches 2 groups" in result.stderr
    assert "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่" in result.stderr and "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่" in result.stderr
    assert roles_of(db, LEADER) == []
    with db.reading() as session:
        assert session.scalar(select(Person).where(Person.line_user_id == LEADER)) is None

    none = meetbot("role", "grant", LEADER, "leader", "--group", "สหกรณ์การเกษตร")
    assert none.exit_code == 2 and "no group matches" in none.stderr
    missing = meetbot("role", "grant", LEADER, "leader")
    assert missing.exit_code == 2 and "--group" in missing.stderr
    wrong = meetbot("role", "grant", LEADER, "coordinator", "--duty", "recorder")
    assert wrong.exit_code == 2 and "facilitators" in wrong.stderr


def test_revoke(meetbot, db, demo):
    meetbot("role", "grant", LEADER, "leader", "--group", "กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก")
    meetbot("role", "grant", LEADER, "coordinator")
    result = meetbot("role", "revoke", LEADER, "leader", "--group", "กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก")
    assert result.exit_code == 0, result.output
    assert "revoked ผู้นำกลุ่ม (leader) of กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก" in result.output
    assert roles_of(db, LEADER) == [("coordinator", None, None)]
    twice = meetbot("role", "revoke", LEADER, "leader", "--group", "กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก")
    assert twice.exit_code == 1 and "nothing to revoke" in twice.stderr
    bad = meetbot("role", "revoke", "U1", "coordinator")
    assert bad.exit_code == 2


# -- meetings ------------------------------------------------------------------------------------


def answer_a_few(db) -> None:
    """Bang Chak: village 1 comes with 12 (quota 10), village 2 cannot come, village 3 says 8;
    village 4's members answer for themselves. Tha Rai: village 1's savings group comes with 4."""
    with db.transaction() as session:
        bang_chak = session.scalar(select(Meeting).where(Meeting.title.endswith("ต.บางจาก")))
        tha_rai = session.scalar(select(Meeting).where(Meeting.title.endswith("ต.ท่าไร่ ครั้งที่ 1")))
        bang_chak, tha_rai = get_meeting(session, bang_chak.id), get_meeting(session, tha_rai.id)
        groups = {g.name: g for g in session.scalars(select(FinancialGroup))}

        def leader(n: int, group: str):
            person = ensure_person(session, f"U{n:032x}", display_name=f"ผู้นำ {n}")
            grant(session, person, Role.LEADER, group_id=groups[group].id)
            return person

        fund = "กองทุนหมู่บ้าน หมู่ {} ต.บางจาก".format
        record_answer(session, meeting=bang_chak, person=leader(1, fund(1)), group=groups[fund(1)],
                      response=Response.GOING, headcount=12, for_group=True, via="cli", now=NOW)
        record_answer(session, meeting=bang_chak, person=leader(2, fund(2)), group=groups[fund(2)],
                      response=Response.NOT_GOING, headcount=0, for_group=True, via="cli", now=NOW)
        three = leader(3, fund(3))
        record_answer(session, meeting=bang_chak, person=three, group=groups[fund(3)],
                      response=Response.GOING, headcount=10, for_group=True, via="cli", now=NOW)
        record_answer(session, meeting=bang_chak, person=three, group=groups[fund(3)],  # "8 will come"
                      response=Response.GOING, headcount=8, for_group=True, via="text",
                      now=NOW.replace(hour=3))
        for n, response in ((41, Response.GOING), (42, Response.GOING), (43, Response.MAYBE),
                            (44, Response.NOT_GOING)):
            member = ensure_person(session, f"U{n:032x}", display_name=f"กรรมการ {n}")
            record_answer(session, meeting=bang_chak, person=member, group=groups[fund(4)], response=response,
                          now=NOW)
        link_chat(session, groups[fund(1)], ensure_chat(session, "C" + "1" * 32, "group").id)
        savings = "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
        record_answer(session, meeting=tha_rai, person=leader(5, savings), group=groups[savings],
                      response=Response.GOING, headcount=4, for_group=True, now=NOW)


def test_meeting_list_shows_upcoming_meetings_with_their_answers(meetbot, db, demo):
    answer_a_few(db)
    result = meetbot("meeting", "list", "--now", "2026-08-01T08:00:00+07:00")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("\n#") + out.startswith("#") == 5
    first, bang_chak = out.split("\n#")[:2]
    assert first.startswith(f"#{demo['prep']}  วันเสาร์ที่ 8 ส.ค. 2569 เวลา 09.00 น.  [นัดแล้ว]  ทีมคุณอำนวยหารือเตรียมการ")
    assert "at สนง.พัฒนาชุมชน" in first and "invited 1 group (ทีมคุณอำนวย)" in first and "coming 0/9" in first
    assert bang_chak.startswith(f"{demo['bang_chak']}  วันศุกร์ที่ 14 ส.ค. 2569 เวลา 09.00 น.")
    assert "at วัดบางสะพาน" in bang_chak and "invited 11 groups (ต.บางจาก: 11 กองทุนหมู่บ้าน)" in bang_chak
    assert "coming 22/110, 4/11 groups answered" in bang_chak  # 12 + 8 + 2 members
    assert "invited 13 groups (ต.ท่าไร่: 6 กองทุนหมู่บ้าน, 6 กลุ่มออมทรัพย์, ผู้นำชุมชน ต.ท่าไร่)" in out
    assert "coming 4/48, 1/13 groups answered" in out
    assert "at มัสยิดหมู่ 6" in out and "วันอาทิตย์ที่ 6 ก.ย. 2569" in out

    later = meetbot("meeting", "list", "--now", "2026-08-16T12:00:00+07:00")
    assert [line.split()[0] for line in later.output.splitlines() if line.startswith("#")] == [
        f"#{demo['mamuang']}", f"#{demo['tha_rai_2']}"]
    everything = meetbot("meeting", "list", "--all", "--now", "2026-12-01T00:00:00+07:00")
    assert sum(line.startswith("#") for line in everything.output.splitlines()) == 5
    nothing = meetbot("meeting", "list", "--now", "2026-12-01T00:00:00+07:00")
    assert nothing.exit_code == 0 and "no upcoming meetings" in nothing.output


def test_meeting_show_tallies_by_sub_district_village_and_group(meetbot, db, demo):
    answer_a_few(db)
    code = demo["bang_chak"]
    for given in (str(code), f"#{code}"):
        result = meetbot("meeting", "show", given)
        assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"#{code} การพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ต.บางจาก\n")
    assert "when:    วันศุกร์ที่ 14 ส.ค. 2569 เวลา 09.00 น. – 12.00 น." in out
    assert "where:   วัดบางสะพาน, ต.บางจาก อ.เมือง จ.นครศรีธรรมราช" in out
    assert "map:     https://www.google.com/maps/search/?api=1&query=" in out
    assert "coming 22 of 110, maybe 1, not coming 1; 4 of 11 groups answered" in out
    lines = {line.strip().split("  ")[0]: " ".join(line.split()) for line in out.splitlines()}
    assert lines["ต.บางจาก"] == "ต.บางจาก 22/110 1 1"
    assert lines["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"].endswith("12/10 0 0 มา เกินโควตา (over quota) (going)")
    assert lines["กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"].endswith("0/10 0 0 ไม่มา (not_going)")
    assert lines["กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"].endswith("8/10 0 0 มา (going)")
    assert lines["กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก"].endswith("2/10 1 1 มา (going)")
    assert "not answered yet (7):" in out
    unanswered = out.split("not answered yet (7):\n")[1].split()
    assert " ".join(unanswered).count("กองทุนหมู่บ้าน") == 7 and "หมู่ 5" in " ".join(unanswered)


def test_meeting_show_json_has_the_documented_shape(meetbot, db, demo):
    answer_a_few(db)
    code = demo["bang_chak"]
    result = meetbot("meeting", "show", f"#{code}", "--json")
    assert result.exit_code == 0, result.output
    assert "ต.บางจาก" in result.output and "\\u0e" not in result.output  # Thai as Thai
    data = json.loads(result.output)
    assert data["schema_version"] == 1
    assert (data["id"], data["code"]) == (code, f"#{code}")
    assert data["title"] == "การพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ต.บางจาก"
    assert (data["starts_at"], data["ends_at"]) == ("2026-08-14T09:00:00+07:00", "2026-08-14T12:00:00+07:00")
    assert (data["starts_at_utc"], data["ends_at_utc"]) == ("2026-08-14T02:00:00Z", "2026-08-14T05:00:00Z")
    assert data["timezone"] == "Asia/Bangkok"
    assert data["venue"]["name"] == "วัดบางสะพาน" and data["venue"]["latitude"] is None
    assert data["venue"]["map_url"].startswith("https://www.google.com/maps/search/")
    assert (data["status"], data["status_th"]) == ("scheduled", "นัดแล้ว")
    assert data["sub_district"]["name"] == "บางจาก" and data["sub_district"]["name_en"] == "Bang Chak"
    assert data["totals"] == {"quota": 110, "coming": 22, "maybe": 1, "not_coming": 1, "groups": 11,
                              "groups_answered": 4, "groups_going": 3, "groups_not_going": 1,
                              "groups_unanswered": 7, "attended": 0}
    assert data["coming"] == 22 and data["individuals"] == {"coming": 0, "maybe": 0}
    [sub] = data["sub_districts"]
    assert sub["name"] == "บางจาก" and sub["totals"] == data["totals"]
    assert [v["number"] for v in sub["villages"]] == list(range(1, 12))
    groups = {g["name"]: g for v in sub["villages"] for g in v["groups"]}
    assert set(groups["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"]) == {
        "id", "name", "kind", "quota", "coming", "maybe", "not_coming", "state", "over_quota", "chat_linked", "attended"}
    one = groups["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"]
    assert (one["kind"], one["quota"], one["coming"], one["state"], one["over_quota"], one["chat_linked"]) == (
        "village_fund", 10, 12, "going", True, True)
    assert groups["กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"]["state"] == "not_going"
    assert groups["กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"]["coming"] == 8  # the later answer wins
    four = groups["กองทุนหมู่บ้าน หมู่ 4 ต.บางจาก"]
    assert (four["coming"], four["maybe"], four["not_coming"], four["chat_linked"]) == (2, 1, 1, False)
    assert sub["villages"][0]["totals"]["coming"] == 12
    assert data["unanswered"] == [f"กองทุนหมู่บ้าน หมู่ {n} ต.บางจาก" for n in range(5, 12)]


def test_meeting_show_json_puts_tha_rai_committees_side_by_side(meetbot, db, demo):
    answer_a_few(db)
    data = json.loads(meetbot("meeting", "show", str(demo["tha_rai_1"]), "--json").output)
    [tha_rai] = data["sub_districts"]
    villages = tha_rai["villages"]
    assert [v["number"] for v in villages] == [1, 2, 3, 4, 5, 6, None]
    first = villages[0]
    assert [(g["kind"], g["quota"], g["coming"]) for g in first["groups"]] == [
        ("village_fund", 4, 0), ("savings_group", 4, 4)]
    assert first["totals"]["quota"] == 8 and first["totals"]["coming"] == 4
    assert [(g["name"], g["quota"]) for g in villages[-1]["groups"]] == [("ผู้นำชุมชน ต.ท่าไร่", None)]
    assert data["totals"]["quota"] == 48 and data["totals"]["groups"] == 13

    prep = json.loads(meetbot("meeting", "show", str(demo["prep"]), "--json").output)
    assert prep["sub_district"] is None
    assert prep["sub_districts"][0]["name"] is None and prep["sub_districts"][0]["villages"][0]["number"] is None
    assert prep["unanswered"] == ["ทีมคุณอำนวย"]


def test_meeting_show_refuses_unknown_codes(meetbot, db, demo):
    missing = meetbot("meeting", "show", "999")
    assert missing.exit_code == 1 and "no meeting #999" in missing.stderr
    bad = meetbot("meeting", "show", "สิบสอง")
    assert bad.exit_code == 2 and "is not a meeting code such as 12 or #12" in bad.stderr


@pytest.mark.parametrize("command", [["demo"], ["import"], ["role", "grant"], ["role", "revoke"], ["role", "list"],
                                     ["meeting", "list"], ["meeting", "show"]], ids=" ".join)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
