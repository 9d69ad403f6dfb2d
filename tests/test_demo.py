"""`meetbot demo`: the seed's network and meetings (CONTEXT.md), loaded idempotently."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from models.meetings import Invitation, Meeting, move_meeting
from models.network import FinancialGroup, GroupKind, SubDistrict, Village
from models.people import Duty, Person, PersonRole, Role, ensure_person, grant
from models.seed import BANGKOK, default_year, demo_starts, load_demo
from tests.queries import row_counts

NOW = datetime(2026, 7, 27, 8, 41, tzinfo=BANGKOK)  # the morning the diary was posted, in 2026


def local(dt: datetime) -> datetime:
    return dt.astimezone(BANGKOK)


def test_the_demo_loads_the_network_the_seed_describes(db):
    with db.transaction() as session:
        report = load_demo(session, year=2026, now=NOW)
    assert report.year == 2026
    with db.reading() as session:
        subs = {s.name: s for s in session.scalars(select(SubDistrict))}
        assert set(subs) == {"ท่าไร่", "บางจาก", "มะม่วงสองต้น"}
        assert {s.name_en for s in subs.values()} == {"Tha Rai", "Bang Chak", "Mamuang Song Ton"}
        assert {(s.district, s.province) for s in subs.values()} == {("เมืองนครศรีธรรมราช", "นครศรีธรรมราช")}
        for name, count in (("ท่าไร่", 6), ("บางจาก", 11), ("มะม่วงสองต้น", 6)):
            villages = session.scalars(select(Village).where(Village.sub_district_id == subs[name].id)).all()
            assert sorted(v.number for v in villages) == list(range(1, count + 1))
            assert all(v.name is None for v in villages)  # the diary names no village

        groups = session.scalars(select(FinancialGroup)).all()
        by_kind = Counter((g.kind, g.sub_district.name if g.sub_district else None) for g in groups)
        assert by_kind == {
            (GroupKind.VILLAGE_FUND, "ท่าไร่"): 6, (GroupKind.VILLAGE_FUND, "บางจาก"): 11,
            (GroupKind.VILLAGE_FUND, "มะม่วงสองต้น"): 6,
            (GroupKind.SAVINGS_GROUP, "ท่าไร่"): 6, (GroupKind.SAVINGS_GROUP, "มะม่วงสองต้น"): 1,
            (GroupKind.OTHER, "ท่าไร่"): 1, (GroupKind.OTHER, None): 1,
        }
        named = {g.name: g for g in groups}
        fund = named["กองทุนหมู่บ้าน หมู่ 3 ต.ท่าไร่"]
        assert (fund.kind, fund.village.number, fund.village.sub_district.name) == (GroupKind.VILLAGE_FUND, 3, "ท่าไร่")
        assert named["กลุ่มออมทรัพย์ หมู่ 3 ต.ท่าไร่"].village_id == fund.village_id  # side by side
        assert named["กลุ่มออมทรัพย์ ต.มะม่วงสองต้น"].village_id is None  # the one learning group
        assert named["ผู้นำชุมชน ต.ท่าไร่"].kind == GroupKind.OTHER
        team = named["ทีมคุณอำนวย"]
        assert (team.kind, team.sub_district_id) == (GroupKind.OTHER, None)

        facilitators = session.execute(select(Person, PersonRole).join(PersonRole)
                                       .where(PersonRole.role == Role.FACILITATOR)).all()
        assert len(facilitators) == 9
        duties = Counter((subs_name(session, r.sub_district_id), r.duty) for _, r in facilitators)
        assert duties == {(s, d): 1 for s in subs for d in Duty.ALL}  # one of each duty per sub-district
        for person, granted in facilitators:
            assert person.line_user_id is None
            assert person.full_name.startswith("คุณอำนวย ") and Duty.THAI[granted.duty] in person.full_name
            assert person.has_role(Role.MEMBER, team.id)
        assert session.scalar(select(Person).where(Person.full_name == "คุณอำนวย ท่าไร่ 3 (คนบันทึก)")) is not None
        coordinators = session.scalars(select(Person).join(PersonRole).where(PersonRole.role == Role.COORDINATOR)).all()
        assert len(coordinators) == 1 and "พัฒนาชุมชน" in coordinators[0].full_name


def subs_name(session, sub_district_id: int) -> str:
    return session.get(SubDistrict, sub_district_id).name


def _invited(session, meeting: Meeting) -> list[tuple[FinancialGroup, int | None]]:
    rows = session.execute(select(FinancialGroup, Invitation.quota).join(Invitation, Invitation.group_id == FinancialGroup.id)
                           .where(Invitation.meeting_id == meeting.id)).all()
    return [(g, q) for g, q in rows]


def test_the_demo_meetings_have_the_seed_dates_venues_and_quotas(db):
    with db.transaction() as session:
        load_demo(session, year=2026, now=NOW)
    with db.reading() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        assert [(local(m.starts_at).date(), local(m.starts_at).time()) for m in meetings] == [
            (date(2026, 8, 8), time(9)), (date(2026, 8, 14), time(9)), (date(2026, 8, 15), time(9)),
            (date(2026, 8, 17), time(9)), (date(2026, 9, 6), time(9))]
        assert all(m.ends_at - m.starts_at == timedelta(hours=3) for m in meetings)
        # stored in UTC: 09:00 in Bangkok is 02:00 UTC
        assert meetings[1].starts_at == datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc)
        assert [m.venue_name for m in meetings] == ["สนง.พัฒนาชุมชน", "วัดบางสะพาน", "วัดบางหลวง", "มัสยิดหมู่ 6",
                                                    "วัดบางหลวง"]
        assert all(m.status == "scheduled" and m.agenda for m in meetings)
        assert all("การพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง" in m.title for m in meetings[1:])
        prep, bang_chak, tha_rai_1, mamuang, tha_rai_2 = meetings

        assert [(g.name, q) for g, q in _invited(session, prep)] == [("ทีมคุณอำนวย", 9)]
        assert prep.sub_district_id is None

        invited = _invited(session, bang_chak)
        assert len(invited) == 11 and {q for _, q in invited} == {10}
        assert {(g.kind, g.sub_district.name) for g, _ in invited} == {(GroupKind.VILLAGE_FUND, "บางจาก")}
        assert sorted(g.village.number for g, _ in invited) == list(range(1, 12))
        assert sum(q for _, q in invited) == 110

        for meeting in (tha_rai_1, tha_rai_2):
            invited = _invited(session, meeting)
            quota4 = [g for g, q in invited if q == 4]
            assert len(quota4) == 12  # the savings group and the village fund of each of the 6 villages
            assert Counter((g.kind, g.village.number) for g in quota4) == {
                (kind, n): 1 for kind in (GroupKind.SAVINGS_GROUP, GroupKind.VILLAGE_FUND) for n in range(1, 7)}
            assert {g.sub_district.name for g in quota4} == {"ท่าไร่"}
            assert [(g.name, q) for g, q in invited if g not in quota4] == [("ผู้นำชุมชน ต.ท่าไร่", None)]
            assert meeting.venue_name == "วัดบางหลวง"

        invited = _invited(session, mamuang)
        assert len(invited) == 6 and {q for _, q in invited} == {10}  # the seed gives no quota: 10 as Bang Chak
        assert {(g.kind, g.sub_district.name) for g, _ in invited} == {(GroupKind.VILLAGE_FUND, "มะม่วงสองต้น")}
        assert mamuang.sub_district_id == session.scalar(select(SubDistrict.id).where(SubDistrict.name == "มะม่วงสองต้น"))


def test_loading_twice_changes_nothing(db):
    with db.transaction() as session:
        first = load_demo(session, year=2026, now=NOW)
    before = row_counts(db)
    with db.transaction() as session:
        second = load_demo(session, year=2026, now=NOW + timedelta(days=1))
    assert row_counts(db) == before
    assert not second.changed and sum(second.existing.values()) == sum(first.created.values())
    assert dict(first.created) == {"sub_districts": 3, "villages": 23, "groups": 32, "people": 10, "roles": 19,
                                   "meetings": 5, "invitations": 44}
    assert [m[0] for m in first.meetings] == [m[0] for m in second.meetings]


def test_a_moved_meeting_a_changed_quota_and_a_real_facilitator_are_kept(db):
    """What the coordinator changed after loading stays changed; nothing is added beside it."""
    with db.transaction() as session:
        person = ensure_person(session, "U" + "1" * 32, display_name="ครูสมใจ")
        tha_rai = SubDistrict(name="ท่าไร่", name_en="Tha Rai")
        session.add(tha_rai)
        session.flush()
        grant(session, person, Role.FACILITATOR, sub_district_id=tha_rai.id, duty=Duty.RECORDER)
    with db.transaction() as session:
        report = load_demo(session, year=2026, now=NOW)
        assert report.created["people"] == 9  # the recorder's slot in Tha Rai is filled by a real person
    with db.transaction() as session:
        mamuang = session.scalar(select(Meeting).where(Meeting.title.contains("มะม่วงสองต้น")))
        move_meeting(session, mamuang, demo_starts(2026)["mamuang"] + timedelta(days=1, hours=1))
        invitation = session.scalar(select(Invitation).where(Invitation.meeting_id == mamuang.id))
        invitation.quota = 7
    with db.transaction() as session:
        again = load_demo(session, year=2026, now=NOW)
    assert not again.changed
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 5
        assert session.get(Invitation, invitation.id).quota == 7
        assert session.scalar(select(func.count()).select_from(PersonRole).where(PersonRole.role == Role.FACILITATOR)) == 9
        assert session.scalar(select(Person).where(Person.full_name == "คุณอำนวย ท่าไร่ 3 (คนบันทึก)")) is None


def test_the_default_year_is_that_of_the_next_8_august_in_bangkok():
    assert default_year(datetime(2026, 3, 1, tzinfo=timezone.utc)) == 2026
    assert default_year(datetime(2026, 8, 8, 23, 59, tzinfo=BANGKOK)) == 2026
    # 17:30 UTC on 8 August is already 9 August in Bangkok
    assert default_year(datetime(2026, 8, 8, 17, 30, tzinfo=timezone.utc)) == 2027
    assert default_year(datetime(2026, 12, 31, 20, 0, tzinfo=timezone.utc)) == 2027


def test_two_years_share_one_network(db):
    with db.transaction() as session:
        load_demo(session, year=2025, now=NOW)
    with db.transaction() as session:
        report = load_demo(session, year=2026, now=NOW)
    assert report.created == Counter(meetings=5, invitations=44)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 10
        assert session.scalar(select(func.count()).select_from(FinancialGroup)) == 32


def test_meetbot_demo_with_a_year(meetbot, db):
    result = meetbot("demo", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "2025 (พ.ศ. 2568)" in result.output
    assert "วันพฤหัสบดีที่ 14 ส.ค. 2568 เวลา 09.00 น." in result.output  # 14 Aug 2025 is a Thursday
    assert "ต.บางจาก" in result.output
    with db.reading() as session:
        starts = sorted(session.scalars(select(Meeting.starts_at)))
    assert starts[0] == datetime(2025, 8, 8, 2, 0, tzinfo=timezone.utc)
    assert starts[-1] == datetime(2025, 9, 6, 2, 0, tzinfo=timezone.utc)

    again = meetbot("demo", "--year", "2025")
    assert again.exit_code == 0 and "nothing new" in again.output
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 5


@pytest.mark.parametrize("year, message", [("2569", "use 2026"), ("99", "Common Era")])
def test_meetbot_demo_refuses_a_year_that_is_not_common_era(meetbot, year, message):
    result = meetbot("demo", "--year", year)
    assert result.exit_code == 2 and message in result.output


def test_meetbot_demo_without_a_year_uses_the_next_august(meetbot, db):
    result = meetbot("demo")
    assert result.exit_code == 0, result.output
    with db.reading() as session:
        first = min(session.scalars(select(Meeting.starts_at)))
    expected = default_year(datetime.now(timezone.utc))
    assert local(first) == datetime(expected, 8, 8, 9, 0, tzinfo=BANGKOK)
