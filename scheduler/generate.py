"""Made-up schools and realistic mixes of requests, for tests, the benchmark and demos.

`school(n, seed=…)` is a week of 5 days × 7 periods in which each teacher teaches
five periods a day, has a few duties, and now and then two sections at once;
`with_requests(problem, seed=…)` adds about one pair request for every three
teachers (micro-observations with a subject, grade or host list) and one group for
every twelve (instructional rounds, learning walks, peer learning labs).
"""

from __future__ import annotations

import random
from dataclasses import replace

from .problem import Meeting, Problem, Request, Rules, Teacher, Unavailable

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
SUBJECTS = {
    "math": 5,
    "ELA": 5,
    "science": 4,
    "social studies": 3,
    "world languages": 2,
    "art": 1,
    "music": 1,
    "PE": 2,
    "computer science": 1,
    "special education": 2,
}
SURNAMES = [
    "Ortiz",
    "Lee",
    "Nguyen",
    "Smith",
    "Garcia",
    "Kim",
    "Patel",
    "Okafor",
    "Rossi",
    "Müller",
    "Cohen",
    "Silva",
    "Tanaka",
    "Haddad",
    "Novak",
    "Dubois",
    "Kowalski",
    "Ahmed",
    "Johansson",
    "Murphy",
    "Reyes",
    "Chen",
    "Ivanova",
    "Mensah",
    "Bauer",
    "Costa",
]


def school(teachers: int, *, seed: int = 0, periods: int = 7) -> Problem:
    rng = random.Random(seed)
    grade_levels = ["6", "7", "8"] if teachers < 60 else ["9", "10", "11", "12"]
    period_labels = tuple(str(p) for p in range(1, periods + 1))
    staff, meetings, unavailable = [], [], []
    for i in range(teachers):
        teacher_id = f"T{i + 1}"
        subject = rng.choices(list(SUBJECTS), weights=list(SUBJECTS.values()))[0]
        grades = sorted(rng.sample(grade_levels, k=rng.choice((1, 1, 2))))
        years = rng.randint(0, 3) if rng.random() < 0.25 else rng.randint(4, 30)
        name = f"{rng.choice(('Ms', 'Mr', 'Mx'))} {SURNAMES[i % len(SURNAMES)]}"
        if i >= len(SURNAMES):
            name += f" {i // len(SURNAMES) + 1}"
        staff.append(Teacher(teacher_id, name, (subject,), tuple(grades), years))
        for day in DAYS:
            free = set(rng.sample(period_labels, k=periods - 5))
            for period in period_labels:
                if period in free:
                    continue
                grade = rng.choice(grades)
                section = f"{subject[:3].upper()}-{grade}{rng.choice('ABCD')}"
                meetings.append(Meeting(teacher_id, day, period, section, subject, grade))
                if rng.random() < 0.02:
                    meetings.append(Meeting(teacher_id, day, period, section + "x", subject, grade))
            if rng.random() < 0.2:
                duty = rng.choice(sorted(free))
                unavailable.append(Unavailable(teacher_id, day, duty))
    return Problem(DAYS, period_labels, tuple(staff), tuple(meetings), tuple(unavailable))


def with_requests(problem: Problem, *, seed: int = 0, density: float = 1.0) -> Problem:
    """The problem with a realistic mix of pair and group requests and usual limits."""
    rng = random.Random(seed)
    ids = [t.id for t in problem.teachers]
    teaches = {m.teacher for m in problem.meetings}
    by_subject: dict[str, list[str]] = {}
    for t in problem.teachers:
        for subject in t.subjects:
            by_subject.setdefault(subject, []).append(t.id)
    requests: list[Request] = []
    for i in range(max(1, round(len(ids) * density / 3))):
        observer = rng.choice(ids)
        requests.append(_pair(rng, problem, f"P{i + 1}", observer, by_subject, teaches))
    for i in range(max(1, round(len(ids) * density / 12))):
        requests.append(_group(rng, f"G{i + 1}", ids))
    rules = Rules(
        max_observers_per_classroom=5,
        max_hosting_per_teacher=3,
        max_coverages_per_teacher=2,
        substitute_periods=max(2, len(ids) // 10),
    )
    return replace(problem, requests=tuple(requests), rules=rules)


def _pair(
    rng: random.Random,
    problem: Problem,
    request_id: str,
    observer: str,
    by_subject: dict[str, list[str]],
    teaches: set[str],
) -> Request:
    teacher = problem.teacher(observer)
    visits = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    others = sorted(t for t in teaches if t != observer)
    roll = rng.random()
    shared = [s for s in teacher.subjects if len(by_subject.get(s, ())) > 1]
    if roll < 0.4 and shared:
        return Request(request_id, "pair", (observer,), visits, subjects=(rng.choice(shared),))
    if roll < 0.6 and teacher.grades:
        grade = rng.choice(teacher.grades)
        return Request(
            request_id, "pair", (observer,), visits, grades=(grade,), prefer=("cross_content",)
        )
    if roll < 0.85 or not teacher.grades:
        hosts = tuple(sorted(rng.sample(others, k=min(len(others), rng.randint(3, 6)))))
        return Request(request_id, "pair", (observer,), visits, hosts=hosts)
    return Request(request_id, "pair", (observer,), visits, prefer=("cross_grade",))


def _group(rng: random.Random, request_id: str, ids: list[str]) -> Request:
    kind = rng.choice(("rounds", "walk", "lab"))
    if kind == "lab":
        host = rng.choice(ids)
        observers = tuple(rng.sample([t for t in ids if t != host], k=min(3, len(ids) - 1)))
        return Request(request_id, "group", observers, classrooms=1, hosts=(host,))
    size = rng.randint(3, 5)
    observers = tuple(rng.sample(ids, k=min(size, len(ids))))
    if kind == "walk":
        return Request(
            request_id, "group", observers, classrooms=rng.randint(3, 4), prefer=("cross_grade",)
        )
    return Request(request_id, "group", observers, classrooms=3)
