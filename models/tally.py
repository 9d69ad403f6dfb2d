"""Where a meeting's answers stand: per group, village, sub-district and in total.

How a group's numbers are read from its answers:
- A leader's answer for the group gives the group's headcount ("we come with 4").
- Members' own answers count one each.
- Coming = the larger of the two, so nobody is counted twice when members confirm what their
  leader already said, and nobody is missed when more members answer than the leader counted.
- A group with no answer at all is "not yet answered".

Computed with two queries and a pass in Python: 1,000 groups and 10,000 answers take a few
milliseconds (see benchmarks/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.meetings import Answer, Invitation, Meeting, Response
from models.network import FinancialGroup, GroupKind, SubDistrict, Village


class GroupState:
    GOING = "going"
    NOT_GOING = "not_going"
    MAYBE = "maybe"
    UNANSWERED = "unanswered"


@dataclass(slots=True)
class Totals:
    quota: int = 0
    coming: int = 0
    maybe: int = 0
    not_coming: int = 0
    groups: int = 0
    groups_answered: int = 0
    groups_going: int = 0
    groups_not_going: int = 0
    groups_unanswered: int = 0
    attended: int = 0

    def add(self, other: "Totals") -> None:
        # Spelled out: this runs three times per group, and a loop over the fields with
        # getattr/setattr was a tenth of a 1,000-group summary.
        self.quota += other.quota
        self.coming += other.coming
        self.maybe += other.maybe
        self.not_coming += other.not_coming
        self.groups += other.groups
        self.groups_answered += other.groups_answered
        self.groups_going += other.groups_going
        self.groups_not_going += other.groups_not_going
        self.groups_unanswered += other.groups_unanswered
        self.attended += other.attended


@dataclass(slots=True)
class GroupTally:
    group_id: int
    name: str
    kind: str
    village_number: int | None
    village_name: str | None
    sub_district_id: int | None
    sub_district_name: str | None
    chat_id: str | None
    quota: int | None
    coming: int = 0
    maybe: int = 0
    not_coming: int = 0
    answers: int = 0
    attended: int = 0  # checked in at the meeting

    @property
    def state(self) -> str:
        if self.answers == 0:
            return GroupState.UNANSWERED
        if self.coming > 0:
            return GroupState.GOING
        if self.maybe > 0:
            return GroupState.MAYBE
        return GroupState.NOT_GOING

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.coming > self.quota

    @property
    def short_label(self) -> str:
        if self.village_number is not None and self.kind != GroupKind.OTHER:
            return f"หมู่ {self.village_number} {GroupKind.SHORT_THAI[self.kind]}"
        return self.name

    def totals(self) -> Totals:
        state = self.state
        return Totals(quota=self.quota or 0, coming=self.coming, maybe=self.maybe, not_coming=self.not_coming,
                      groups=1, groups_answered=int(state != GroupState.UNANSWERED),
                      groups_going=int(state == GroupState.GOING),
                      groups_not_going=int(state == GroupState.NOT_GOING),
                      groups_unanswered=int(state == GroupState.UNANSWERED), attended=self.attended)


@dataclass(slots=True)
class VillageTally:
    number: int | None
    name: str | None
    groups: list[GroupTally]
    totals: Totals

    @property
    def label(self) -> str:
        if self.number is None:
            return "กลุ่มอื่น ๆ"
        return f"หมู่ {self.number}" + (f" {self.name}" if self.name else "")


@dataclass(slots=True)
class SubDistrictTally:
    sub_district_id: int | None
    name: str | None
    villages: list[VillageTally]
    totals: Totals

    @property
    def label(self) -> str:
        return f"ต.{self.name}" if self.name else "ไม่ระบุตำบล"


@dataclass
class MeetingTally:
    meeting_id: int
    groups: list[GroupTally]
    sub_districts: list[SubDistrictTally]
    totals: Totals
    # People who answered for themselves outside any invited group (e.g. facilitators).
    individuals_coming: int = 0
    individuals_maybe: int = 0

    def group(self, group_id: int) -> GroupTally | None:
        return next((g for g in self.groups if g.group_id == group_id), None)

    @property
    def unanswered(self) -> list[GroupTally]:
        return [g for g in self.groups if g.state == GroupState.UNANSWERED]

    @property
    def coming(self) -> int:
        return self.totals.coming + self.individuals_coming


def tally(session: Session, meeting: Meeting | int) -> MeetingTally:
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    invited = session.connection().execute(
        select(Invitation.group_id, Invitation.quota, FinancialGroup.name, FinancialGroup.kind,
               FinancialGroup.chat_id, Village.number, Village.name, SubDistrict.id, SubDistrict.name)
        .join(FinancialGroup, FinancialGroup.id == Invitation.group_id)
        .outerjoin(Village, Village.id == FinancialGroup.village_id)
        .outerjoin(SubDistrict, SubDistrict.id == FinancialGroup.sub_district_id)
        .where(Invitation.meeting_id == meeting_id)
    ).all()
    groups: dict[int, GroupTally] = {}
    for (group_id, quota, name, kind, chat_id, village_number, village_name, sub_id, sub_name) in invited:
        groups[group_id] = GroupTally(group_id=group_id, name=name, kind=kind, village_number=village_number,
                                      village_name=village_name, sub_district_id=sub_id, sub_district_name=sub_name,
                                      chat_id=chat_id, quota=quota)

    # Members' own answers are summed by the database (a few thousand rows at most instead of
    # every answer); answers for a whole group are few, read oldest first so that for each group
    # the last one seen is its latest. Plain Core rows: no ORM row processing.
    connection = session.connection()
    own_rows = connection.execute(
        select(Answer.group_id, Answer.response, func.count(), func.sum(Answer.headcount))
        .where(Answer.meeting_id == meeting_id, Answer.for_group.is_(False))
        .group_by(Answer.group_id, Answer.response)
    ).all()
    lead_rows = connection.execute(
        select(Answer.group_id, Answer.response, Answer.headcount)
        .where(Answer.meeting_id == meeting_id, Answer.for_group.is_(True))
        .order_by(Answer.updated_at, Answer.id)
    ).all()
    group_answer: dict[int, tuple[str, int]] = {}
    own: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)  # group → response → (answers, people)
    individuals_coming = individuals_maybe = 0
    for group_id, response, answers, people in own_rows:
        if group_id is None or group_id not in groups:
            if response == Response.GOING:
                individuals_coming += int(people or 0)
            elif response == Response.MAYBE:
                individuals_maybe += answers
            continue
        own[group_id][response] = (answers, int(people or 0))
    for group_id, response, headcount in lead_rows:
        if group_id in groups:
            group_answer[group_id] = (response, headcount)
        elif response == Response.GOING:
            individuals_coming += headcount
    for group_id, tally_row in groups.items():
        mine = own.get(group_id, {})
        lead = group_answer.get(group_id)
        own_going = mine.get(Response.GOING, (0, 0))[1]
        own_maybe = mine.get(Response.MAYBE, (0, 0))[0]
        own_not = mine.get(Response.NOT_GOING, (0, 0))[0]
        lead_going = lead[1] if lead and lead[0] == Response.GOING else 0
        lead_maybe = lead[1] if lead and lead[0] == Response.MAYBE else 0
        tally_row.coming = max(lead_going, own_going)
        tally_row.maybe = max(lead_maybe, own_maybe)
        tally_row.not_coming = own_not
        tally_row.answers = sum(n for n, _ in mine.values()) + (1 if lead else 0)
    from models.attendance import attended_counts

    for group_id, n in attended_counts(session, meeting_id).items():
        if group_id in groups:
            groups[group_id].attended = n

    ordered = sorted(groups.values(), key=lambda g: (
        g.sub_district_name or "\uffff", g.village_number if g.village_number is not None else 10_000,
        GroupKind.ALL.index(g.kind) if g.kind in GroupKind.ALL else 9, g.name))
    sub_districts: list[SubDistrictTally] = []
    total = Totals()
    for g in ordered:
        if not sub_districts or sub_districts[-1].sub_district_id != g.sub_district_id:
            sub_districts.append(SubDistrictTally(g.sub_district_id, g.sub_district_name, [], Totals()))
        sub = sub_districts[-1]
        if not sub.villages or sub.villages[-1].number != g.village_number:
            sub.villages.append(VillageTally(g.village_number, g.village_name, [], Totals()))
        village = sub.villages[-1]
        village.groups.append(g)
        t = g.totals()
        for target in (village.totals, sub.totals, total):
            target.add(t)
    return MeetingTally(meeting_id=meeting_id, groups=ordered, sub_districts=sub_districts, totals=total,
                        individuals_coming=individuals_coming, individuals_maybe=individuals_maybe)
