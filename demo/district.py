"""The Riverbend demo district as plain data: two middle schools, their staff and a real
master schedule. Nothing here touches the database (`demo/load.py` writes it).

`demo_schools()` and `demo_schedule()` describe the district in plain dataclasses, the same
every time (names are fixed, everything else comes from one seeded random generator).

Each teacher teaches five of the seven periods, the same sections every day, and is free
for the other two: one is the planning period their grade-level team shares (so that
colleagues can visit one another), the other is theirs alone. A few teachers have a duty
in that second free period, never in their planning period.
"""

import os
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import time

from rosters.schedule_data import (
    MeetingRecord,
    ScheduleData,
    SectionRecord,
    TeacherRecord,
)
from schools.models import Role

DISTRICT_NAME = "Riverbend Unified School District"
DISTRICT_SLUG = "riverbend"
EMAIL_DOMAIN = "riverbend.example.org"
TERM_NAME = "2025-26 school year"
SITE_URL = "http://127.0.0.1:8000/"
# The generator is used in a fixed order, so a fixed seed gives the same district on every
# machine and every run: the printed logins always point at the same people.
SEED = 2026

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
# Lunch (11:35 to 12:15) is not a period: nobody can be scheduled into it.
BELL = {
    "1": (time(8, 0), time(8, 50)),
    "2": (time(8, 55), time(9, 45)),
    "3": (time(9, 50), time(10, 40)),
    "4": (time(10, 45), time(11, 35)),
    "5": (time(12, 15), time(13, 5)),
    "6": (time(13, 10), time(14, 0)),
    "7": (time(14, 5), time(14, 55)),
}
PERIODS = list(BELL)

# subject -> (section code prefix, course title)
SUBJECTS = {
    "math": ("MATH", "Math"),
    "ELA": ("ELA", "ELA"),
    "science": ("SCI", "Science"),
    "social studies": ("SS", "Social Studies"),
    "special education": ("SPED", "Learning Support"),
    "Spanish": ("SPAN", "Spanish"),
    "art": ("ART", "Art"),
    "music": ("MUS", "Music"),
    "PE": ("PE", "Physical Education"),
}
# Encore (elective) teachers plan together and teach while the grade-level teams plan.
ENCORE_SUBJECTS = {"Spanish", "art", "music", "PE"}
ENCORE = "encore"
ENCORE_ROOMS = {"art": "Art Room", "music": "Music Room", "PE": "Gym"}
# Each grade-level team has its own hallway: grade 6 in the 100s, …; encore in the 400s.
WINGS = {"6": "1", "7": "2", "8": "3", ENCORE: "4"}

DUTIES = ["Hall duty", "Study hall supervision", "In-school support room", "Team leader meeting"]


@dataclass(frozen=True)
class Duty:
    day: str
    period: str
    reason: str


@dataclass(frozen=True)
class DemoLeader:
    """Someone who teaches nothing: a principal, a coach, a district leader."""

    username: str
    given_name: str
    family_name: str
    years: int
    roles: tuple[Role, ...]
    description: str


@dataclass(frozen=True)
class DemoTeacher:
    username: str
    given_name: str
    family_name: str
    years: int
    subject: str
    grade: str  # "7" or, for a teacher of two grades, "7,8"
    room: str
    planning_period: str
    free_period: str
    duty: Duty | None = None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def team(self) -> str:
        return team_of(self.subject, self.grade)

    @property
    def teaching_periods(self) -> list[str]:
        return [p for p in PERIODS if p not in (self.planning_period, self.free_period)]

    @property
    def course(self) -> str:
        return f"{SUBJECTS[self.subject][1]} {self.grade.replace(',', '/')}"

    def describe(self) -> str:
        years = "1 year" if self.years == 1 else f"{self.years} years"
        return f"teacher ({self.course}, {years})"


@dataclass(frozen=True)
class DemoSchool:
    slug: str
    name: str
    leaders: list[DemoLeader]
    teachers: list[DemoTeacher]


@dataclass(frozen=True)
class StaffPlan:
    """What one school needs before names, years and periods are dealt out."""

    slug: str
    name: str
    leaders: list[DemoLeader]
    teacher_prefix: str  # usernames are f"{prefix}{n}", n from 1
    named_teachers: list[tuple[str, str, str, str, str]]  # username, given, family, subject, grade
    teaching: list[tuple[str, str]]  # (subject, grade) for teacher 1, 2, …
    names: list[tuple[str, str]]
    team_planning: dict[str, str]  # team ("6", "7", "8" or ENCORE) -> shared planning period
    duties: int


LINCOLN_TEACHING = [
    # Grade 7 team: plans at period 3 (teacher1 is a grade-7 math teacher).
    ("math", "7"),
    ("science", "7"),
    ("math", "7"),
    ("science", "7"),
    ("ELA", "7"),
    ("ELA", "7"),
    ("social studies", "7"),
    ("social studies", "7"),
    ("special education", "7"),
    # Grade 6 team
    ("math", "6"),
    ("math", "6"),
    ("ELA", "6"),
    ("ELA", "6"),
    ("ELA", "6"),
    ("science", "6"),
    ("science", "6"),
    ("social studies", "6"),
    ("special education", "6"),
    # Grade 8 team
    ("math", "8"),
    ("math", "8"),
    ("ELA", "8"),
    ("ELA", "8"),
    ("science", "8"),
    ("science", "8"),
    ("social studies", "8"),
    ("social studies", "8"),
    ("special education", "8"),
    # Encore
    ("Spanish", "7,8"),
    ("Spanish", "7,8"),
    ("Spanish", "6"),
    ("art", "6,7"),
    ("art", "8"),
    ("music", "6,7"),
    ("music", "8"),
    ("PE", "6"),
    ("PE", "7,8"),
    ("PE", "7,8"),
]

LINCOLN_NAMES = [
    ("Maya", "Okafor"),
    ("Daniel", "Nguyen"),
    ("Sofia", "Hernández"),
    ("James", "O'Brien"),
    ("Aisha", "Rahman"),
    ("Kevin", "Park"),
    ("Lauren", "Mitchell"),
    ("Carlos", "Mendoza"),
    ("Grace", "Kim"),
    ("Tyrone", "Jackson"),
    ("Emily", "Schultz"),
    ("Rajesh", "Patel"),
    ("Hannah", "Goldberg"),
    ("Luis", "Ramírez"),
    ("Keisha", "Brooks"),
    ("Ethan", "Larson"),
    ("Mei", "Chen"),
    ("Omar", "Haddad"),
    ("Rebecca", "Sullivan"),
    ("Andre", "Thompson"),
    ("Priscilla", "Yazzie"),
    ("Nathan", "Cohen"),
    ("Fatima", "Ali"),
    ("Brian", "Kowalski"),
    ("Jasmine", "Carter"),
    ("Diego", "Flores"),
    ("Allison", "Wright"),
    ("Samuel", "Adeyemi"),
    ("Natalie", "Dubois"),
    ("DeShawn", "Washington"),
    ("Ingrid", "Johansson"),
    ("Hiroshi", "Tanaka"),
    ("Erin", "McCarthy"),
    ("Xavier", "Delgado"),
    ("Leah", "Friedman"),
    ("Kwame", "Mensah"),
    ("Olivia", "Bennett"),
]

ROOSEVELT_TEACHING = [
    ("math", "6"),
    ("ELA", "6"),
    ("science", "6"),
    ("social studies", "6"),
    ("special education", "6,7"),
    ("math", "7"),
    ("math", "7"),
    ("science", "7"),
    ("science", "7"),
    ("social studies", "7"),
    ("ELA", "7"),
    ("math", "8"),
    ("math", "8"),
    ("ELA", "8"),
    ("ELA", "8"),
    ("science", "8"),
    ("social studies", "8"),
    ("special education", "8"),
    ("Spanish", "7,8"),
    ("art", "6,7"),
    ("music", "7,8"),
    ("PE", "6"),
    ("PE", "7,8"),
]

ROOSEVELT_NAMES = [
    ("Rosa", "Castillo"),
    ("Peter", "Novak"),
    ("Amara", "Eze"),
    ("Steven", "Holloway"),
    ("Linh", "Tran"),
    ("Gabriel", "Santos"),
    ("Megan", "Fischer"),
    ("Darnell", "Harris"),
    ("Anika", "Sharma"),
    ("Patrick", "Doyle"),
    ("Yolanda", "Rivera"),
    ("Jun", "Watanabe"),
    ("Claire", "Lindqvist"),
    ("Malik", "Robinson"),
    ("Teresa", "Gutiérrez"),
    ("Aaron", "Weiss"),
    ("Nadia", "Popescu"),
    ("Victor", "Oyelaran"),
    ("Beth", "Anderson"),
    ("Isaiah", "Greene"),
    ("Camila", "Ortiz"),
    ("Tomasz", "Zieliński"),
    ("Hope", "Begay"),
]


def demo_password() -> str:
    return os.environ.get("OPENDOORS_DEMO_PASSWORD", "opendoors-demo")


def staff_plans() -> list[StaffPlan]:
    """Who works where, before the random generator deals out years and free periods."""
    lincoln_leaders = [
        DemoLeader("principal", "Denise", "Walker", 19, (Role.PRINCIPAL,), "principal"),
        DemoLeader(
            "coach",
            "Julia",
            "Ferreira",
            12,
            (Role.COACH, Role.FACILITATOR),
            "instructional coach and facilitator",
        ),
        DemoLeader(
            "district",
            "Robert",
            "Osei",
            24,
            (Role.DISTRICT_LEADER,),
            "district leader (professional learning)",
        ),
    ]
    roosevelt_leaders = [
        DemoLeader("roosevelt-principal", "Michael", "Chang", 15, (Role.PRINCIPAL,), "principal"),
    ]
    return [
        StaffPlan(
            slug="lincoln",
            name="Lincoln Middle School",
            leaders=lincoln_leaders,
            teacher_prefix="teacher",
            named_teachers=[],
            teaching=LINCOLN_TEACHING,
            names=LINCOLN_NAMES,
            team_planning={"6": "2", "7": "3", "8": "4", ENCORE: "6"},
            duties=6,
        ),
        StaffPlan(
            slug="roosevelt",
            name="Roosevelt Middle School",
            leaders=roosevelt_leaders,
            teacher_prefix="roosevelt-teacher",
            # The persona from another school: a teacher who must not see Lincoln's evidence.
            named_teachers=[("outsider", "Elena", "Vásquez", "ELA", "7")],
            teaching=ROOSEVELT_TEACHING,
            names=ROOSEVELT_NAMES,
            team_planning={"6": "4", "7": "2", "8": "3", ENCORE: "6"},
            duties=3,
        ),
    ]


def demo_schools() -> list[DemoSchool]:
    """The whole district, identical on every call."""
    rng = random.Random(SEED)
    return [school_staff(plan, rng) for plan in staff_plans()]


def school_staff(plan: StaffPlan, rng: random.Random) -> DemoSchool:
    people = list(plan.named_teachers) + [
        (f"{plan.teacher_prefix}{n}", given, family, subject, grade)
        for n, ((given, family), (subject, grade)) in enumerate(
            zip(plan.names, plan.teaching, strict=True), start=1
        )
    ]
    rooms: Counter[str] = Counter()
    teachers = [
        teacher_make(person, plan.team_planning, rng, room_assign(person[3], person[4], rooms))
        for person in people
    ]
    return DemoSchool(plan.slug, plan.name, plan.leaders, duties_assign(teachers, plan.duties, rng))


def teacher_make(
    person: tuple[str, str, str, str, str],
    team_planning: dict[str, str],
    rng: random.Random,
    room: str,
) -> DemoTeacher:
    username, given, family, subject, grade = person
    team = team_of(subject, grade)
    planning = team_planning[team]
    return DemoTeacher(
        username=username,
        given_name=given,
        family_name=family,
        years=years_of_experience(rng),
        subject=subject,
        grade=grade,
        room=room,
        planning_period=planning,
        free_period=rng.choice(free_period_choices(team, team_planning)),
    )


def team_of(subject: str, grade: str) -> str:
    """The team a teacher plans with: their (first) grade level, or the encore team."""
    return ENCORE if subject in ENCORE_SUBJECTS else grade.split(",")[0]


def years_of_experience(rng: random.Random) -> int:
    # About a third are new teachers: the pairings (new + experienced) need both kinds.
    return rng.randint(1, 3) if rng.random() < 0.33 else rng.randint(4, 30)


def free_period_choices(team: str, team_planning: dict[str, str]) -> list[str]:
    """Periods that can be a teacher's second free period."""
    if team == ENCORE:
        # Encore classes are where students go while their grade-level team plans.
        return [p for p in PERIODS if p not in team_planning.values()]
    return [p for p in PERIODS if p != team_planning[team]]


def room_assign(subject: str, grade: str, rooms: Counter[str]) -> str:
    """The next free classroom in the team's wing (111, 112, …), or the art room, the gym …"""
    if subject in ENCORE_ROOMS:
        rooms[subject] += 1
        count = rooms[subject]
        return ENCORE_ROOMS[subject] if count == 1 else f"{ENCORE_ROOMS[subject]} {count}"
    wing = WINGS[team_of(subject, grade)]
    rooms[wing] += 1
    return f"{wing}{rooms[wing] + 10:02d}"


def duties_assign(teachers: list[DemoTeacher], count: int, rng: random.Random) -> list[DemoTeacher]:
    """Give `count` teachers one duty, in their own free period, never in their planning."""
    chosen = set(rng.sample(range(len(teachers)), count))
    return [
        replace(t, duty=Duty(rng.choice(DAYS), t.free_period, rng.choice(DUTIES)))
        if i in chosen
        else t
        for i, t in enumerate(teachers)
    ]


def demo_schedule(school: DemoSchool) -> ScheduleData:
    """The school's master schedule, as a schedule file would give it to the importer."""
    data = ScheduleData(
        source="demo",
        days=list(DAYS),
        periods=list(PERIODS),
        bell={(day, period): BELL[period] for day in DAYS for period in PERIODS},
        term_name=TERM_NAME,
    )
    numbers: Counter[str] = Counter()
    for teacher in school.teachers:
        data.teachers[teacher.username] = TeacherRecord(
            source_id=teacher.username,
            name=teacher.name,
            given_name=teacher.given_name,
            family_name=teacher.family_name,
            email=email_for(teacher.username),
        )
        for period in teacher.teaching_periods:
            section = section_next(teacher, numbers)
            data.sections[section.key] = section
            data.meetings.extend(
                MeetingRecord(teacher.username, section.key, day, period, teacher.room)
                for day in DAYS
            )
    return data


def section_next(teacher: DemoTeacher, numbers: Counter[str]) -> SectionRecord:
    """The course's next section: MATH7-1, MATH7-2, … across every teacher of the course."""
    stem = SUBJECTS[teacher.subject][0] + teacher.grade.replace(",", "")
    numbers[stem] += 1
    return SectionRecord(
        code=f"{stem}-{numbers[stem]}",
        course=teacher.course,
        subject=teacher.subject,
        grade=teacher.grade,
    )


def email_for(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


def demo_logins(schools: list[DemoSchool]) -> list[tuple[str, str, str]]:
    """(username, role, school) for the accounts worth signing in as."""
    rows: list[tuple[str, str, str]] = []
    for school in schools:
        rows += [(p.username, p.description, school.name) for p in school.leaders]
        by_username = {t.username: t for t in school.teachers}
        for username in ("teacher1", "outsider"):
            if username in by_username:
                rows.append((username, by_username[username].describe(), school.name))
        if school.slug == "lincoln":
            last = school.teachers[-1].username
            rows.append(
                (f"teacher2 … {last}", "teachers, every subject, grades 6 to 8", school.name)
            )
    return rows
