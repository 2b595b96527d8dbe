"""The demo's one claimed credential: the first Lincoln teacher (by username) who completed a
cycle (the learning walk: observed, set a goal, answered its follow-up) claimed its Open
Badges credential. Only when the site has a signing key (`make demo` makes one); running it
again changes nothing."""

from growth.credentials import claimable_cycles, credential_claim, signing_key
from growth.models import Credential
from schools.models import Person, School


def demo_credentials_load(school: School) -> Person | None:
    """The teacher holding the demo's credential, or None without a key."""
    if signing_key() is None:
        return None
    held = Credential.objects.filter(district=school.district).select_related("person").first()
    if held is not None:
        return held.person
    teachers = Person.objects.filter(
        memberships__school=school, username__startswith="teacher"
    ).distinct()
    for teacher in sorted(teachers, key=lambda p: (len(p.username), p.username)):
        cycles = claimable_cycles(teacher)
        if cycles:
            credential_claim(person=teacher, cycle=cycles[0])
            return teacher
    return None
