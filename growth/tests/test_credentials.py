"""A teacher who completed a cycle claims an Open Badges 3.0 credential, downloads it and their
whole record (CLR 2.0), and anyone checks them: here with plain JOSE steps (base64url, the
RSA signature by `cryptography`, gzip for the status list), none of the issuing code."""

import base64
import gzip
import json
import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from growth import credentials
from growth.credentials import credential_claim, key_generate
from growth.models import Credential
from growth.services import follow_up_answer, goal_set, ledger_refresh_for_person
from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import make_round, next_weekday, visit_held
from schools.models import Meeting
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule

# One key for the whole module: making an RSA key takes a while.
TEST_KEY = key_generate(2048).decode()
GOAL = "Ask students to explain to a partner first"


@pytest.fixture
def key(settings):
    settings.OPENDOORS_CREDENTIALS_KEY = TEST_KEY
    settings.OPENDOORS_CREDENTIALS_KEY_FILE = ""


def complete(person, cycle, visit):
    """The person took part in the held visit (the ledger counted it), set a goal in the
    cycle and answered its follow-up."""
    ledger_refresh_for_person(person=person)
    goal = goal_set(person=person, cycle=cycle, visit=visit, text=GOAL, try_by=visit.date)
    follow_up_answer(follow_up=goal.follow_up, tried=True, results="yes", why="They talked more")


def another_cycle(personas, structure="rounds"):
    """A second cycle of the coach's, held: the colleague (and in a round the assistant
    principal) observed the teacher's Tuesday lesson, a slot that clashes with nothing."""
    cycle = cycle_start(
        school=personas.school, structure=structure, title="Student discourse", by=personas.coach
    )
    observers = (
        [personas.colleague, personas.vice] if structure == "rounds" else [personas.colleague]
    )
    participants_set(
        cycle=cycle, observers=observers, hosts=[personas.teacher], facilitators=[personas.coach]
    )
    lesson = Meeting.objects.get(
        teacher=personas.teacher, slot__day__label="Tue", slot__period__label="1"
    )
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(1),
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(person) for person in observers],
        ),
    )
    return cycle, visit_held(visit)


@pytest.fixture
def completed(personas):
    cycle, visit = make_round(personas, held=True)
    cycle.problem_of_practice = "Students rarely explain their reasoning in math."
    cycle.save()
    complete(personas.colleague, cycle, visit)
    return cycle


# Plain JOSE, by hand ------------------------------------------------------------------------


def b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def local(url: str) -> str:
    return urlsplit(url).path


def checked(client, token: str) -> dict:
    """OB 3.0 §8.2.5 as any verifier does it: read the header, fetch the JWK its `kid` names,
    check the RS256 signature over `header.payload`, then the claims. Raises InvalidSignature."""
    header_part, payload_part, signature = token.split(".")
    header = json.loads(b64(header_part))
    assert set(header) == {"alg", "kid", "typ"} and header["alg"] == "RS256"
    jwk = client.get(local(header["kid"])).json()
    assert "d" not in jwk
    public = rsa.RSAPublicNumbers(
        int.from_bytes(b64(jwk["e"]), "big"), int.from_bytes(b64(jwk["n"]), "big")
    ).public_key()
    public.verify(
        b64(signature),
        f"{header_part}.{payload_part}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    payload = json.loads(b64(payload_part))
    issuer = payload["issuer"]["id"] if isinstance(payload["issuer"], dict) else payload["issuer"]
    assert payload["iss"] == issuer
    assert payload["jti"] == payload["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    return payload


def status_bit(client, status: dict) -> int:
    """Bitstring Status List v1.0: the signed list, its GZIP'd bits, the entry's bit."""
    listed = checked(client, client.get(local(status["statusListCredential"])).content.decode())
    assert "BitstringStatusListCredential" in listed["type"]
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(b64(encoded[1:]))
    assert len(bits) >= 16 * 1024
    index = int(status["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def claim(client, cycle):
    return client.post(f"/cycles/{cycle.pk}/credential/", follow=True)


# The story ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("structure", "title", "name"),
    [
        ("Instructional rounds", "Student discourse", "Instructional rounds: Student discourse"),
        (
            "Learning walk",
            "Learning walk: students responding",
            "Learning walk: students responding",
        ),
        ("Instructional rounds", "Rounds: explaining strategies", "Rounds: explaining strategies"),
        ("Peer learning lab", "Lab 2: number talks", "Peer learning lab: Lab 2: number talks"),
    ],
)
def test_an_achievement_says_its_structure_once(structure, title, name):
    assert credentials._achievement_name(structure, title) == name


def test_a_teacher_who_completed_a_cycle_claims_a_credential_anyone_can_check(
    client, personas, completed, key
):
    client.force_login(personas.colleague)
    page = client.get("/portfolio/").content.decode()
    assert "Claim your credential" in page
    answer = claim(client, completed)
    assert "is ready to download" in answer.content.decode()
    credential = Credential.objects.get(person=personas.colleague)
    assert "Claim your credential" not in answer.content.decode()

    token = client.get(f"/credentials/{credential.credential_id}/jwt/").content.decode()
    assert token == credential.signed
    client.logout()  # the verifier is anyone
    payload = checked(client, token)
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "OpenBadgeCredential" in payload["type"]
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == "Instructional rounds: Student discourse"
    assert "Students rarely explain their reasoning in math." in achievement["description"]
    assert payload["credentialSubject"]["identifier"][0]["identityHash"] == "Ben Lee"
    # Observing the round's 15-minute visit and answering the follow-up (10): 25 minutes.
    assert payload["credentialSubject"]["result"][0]["value"] == "0.42"
    assert payload["credentialSubject"]["activityStartDate"].endswith("T00:00:00Z")
    # The issuer is the district, its profile public at its id.
    profile = client.get(local(payload["iss"])).json()
    assert profile["name"] == personas.school.district.name
    assert profile["id"] == payload["iss"]
    keys = client.get(local(payload["iss"]) + "jwks.json").json()["keys"]
    assert [k["kid"] for k in keys] == [json.loads(b64(token.split(".")[0]))["kid"]]
    # Never evidence, goals or answers.
    assert GOAL not in json.dumps(payload) and "talked more" not in json.dumps(payload)
    assert status_bit(client, payload["credentialStatus"]) == 0


def test_a_changed_credential_or_signature_fails_every_check(client, personas, completed, key):
    signed = credential_claim(person=personas.colleague, cycle=completed).signed
    header, payload, signature = signed.split(".")
    document = json.loads(b64(payload))
    document["credentialSubject"]["result"][0]["value"] = "40"
    forged = base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    for tampered in (f"{header}.{forged}.{signature}", f"{header}.{payload}.{flipped}"):
        with pytest.raises(InvalidSignature):
            checked(client, tampered)
        page = client.post("/verify/credential/", {"credential": tampered})
        assert "Not genuine" in page.content.decode()
    genuine = client.post("/verify/credential/", {"credential": signed}).content.decode()
    assert "Genuine" in genuine and "Ben Lee" in genuine


def test_a_revoked_credential_shows_in_the_district_s_status_list(client, personas, completed, key):
    credential = credential_claim(person=personas.colleague, cycle=completed)
    cycle, visit = another_cycle(personas)
    complete(personas.vice, cycle, visit)
    other = credential_claim(person=personas.vice, cycle=cycle)
    client.force_login(personas.district_leader)
    page = client.get("/district/riverbend/credentials/")
    assert "Ben Lee" in page.content.decode()
    client.post(
        f"/district/riverbend/credentials/{credential.credential_id}/revoke/",
        {"reason": "Issued to the wrong person"},
    )
    client.logout()
    status = json.loads(b64(credential.signed.split(".")[1]))["credentialStatus"]
    assert status_bit(client, status) == 1
    assert status_bit(client, json.loads(b64(other.signed.split(".")[1]))["credentialStatus"]) == 0
    answer = client.post("/verify/credential/", {"credential": credential.signed}).content.decode()
    assert "Revoked" in answer
    # Claiming again gives the same, revoked, credential: no second one for the cycle.
    client.force_login(personas.colleague)
    assert "revoked your credential" in claim(client, completed).content.decode()
    assert Credential.objects.filter(person=personas.colleague).count() == 1


def test_the_district_s_credentials_come_fifty_a_page_newest_first(client, personas):
    start = timezone.now() - timedelta(days=60)
    Credential.objects.bulk_create(
        Credential(
            person=personas.colleague,
            district=personas.school.district,
            status_index=n + 1,
            issued_at=start + timedelta(days=n),
            signed="e30.e30.signature",
        )
        for n in range(51)
    )
    client.force_login(personas.district_leader)
    first = client.get("/district/riverbend/credentials/").content.decode()
    assert "Issued, newest first (51)" in first and "Page 1 of 2" in first
    assert first.count('class="card"') == 50 and 'href="?page=2"' in first
    local = timezone.localtime(start)  # as the page shows it
    oldest = f"Issued {local:%b} {local.day}, {local:%Y}"
    assert oldest not in first
    second = client.get("/district/riverbend/credentials/", {"page": 2}).content.decode()
    assert second.count('class="card"') == 1 and oldest in second and "← Newer" in second
    beyond = client.get("/district/riverbend/credentials/", {"page": "x"})
    assert beyond.status_code == 200 and "Page 1 of 2" in beyond.content.decode()


def test_a_principal_or_a_teacher_cannot_revoke_or_list_credentials(
    client, personas, completed, key
):
    credential = credential_claim(person=personas.colleague, cycle=completed)
    for person in (personas.principal, personas.colleague):
        client.force_login(person)
        assert client.get("/district/riverbend/credentials/").status_code == 404
        url = f"/district/riverbend/credentials/{credential.credential_id}/revoke/"
        assert client.post(url, {"reason": "x"}).status_code == 404
    credential.refresh_from_db()
    assert credential.revoked_at is None


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        ("hello", "This is not a credential"),
        ("a.b.c", "This is not a credential"),
        ("eyJhbGciOiJSUzI1NiJ9.e30.AAAA", "not issued by this OpenDoors site"),
        ('{"type": ["VerifiableCredential"]}', "readable copy"),
        ("\x00", "Null characters are not allowed"),
        ("", "Paste a credential, or choose its file."),
    ],
)
def test_the_verify_page_answers_anything_pasted_with_a_message(client, db, key, pasted, says):
    answer = client.post("/verify/credential/", {"credential": pasted})
    assert answer.status_code in {200, 400}
    assert says in answer.content.decode()


def test_the_verify_page_reads_an_uploaded_file(client, personas, completed, key):
    signed = credential_claim(person=personas.colleague, cycle=completed).signed
    upload = SimpleUploadedFile("credential.jwt", signed.encode() + b"\n")
    assert "Genuine" in client.post("/verify/credential/", {"file": upload}).content.decode()
    picture = SimpleUploadedFile("badge.png", b"\x89PNG\r\n\x1a\n\xff\xfe")
    answer = client.post("/verify/credential/", {"file": picture})
    assert "it is not text" in answer.content.decode()


def test_a_cycle_not_completed_gives_no_credential(client, personas, key):
    cycle, _ = make_round(personas, held=True)
    ledger_refresh_for_person(person=personas.teacher)  # she hosted: took part
    client.force_login(personas.teacher)
    assert "Claim your credential" not in client.get("/portfolio/").content.decode()
    assert "A credential is for a cycle you completed" in claim(client, cycle).content.decode()
    client.force_login(personas.bystander)  # not in the cycle at all
    assert client.post(f"/cycles/{cycle.pk}/credential/").status_code == 404
    assert not Credential.objects.exists()


def test_nobody_else_downloads_a_teacher_s_credential(client, personas, completed, key):
    credential = credential_claim(person=personas.colleague, cycle=completed)
    for person in (personas.teacher, personas.principal, personas.district_leader):
        client.force_login(person)
        for kind in ("jwt", "json"):
            assert client.get(f"/credentials/{credential.credential_id}/{kind}/").status_code == 404
    client.logout()
    assert client.get(f"/credentials/{credential.credential_id}/jwt/").status_code == 302


def test_the_whole_record_holds_every_standing_credential_and_verifies(
    client, personas, completed, key
):
    first = credential_claim(person=personas.colleague, cycle=completed)
    cycle, visit = another_cycle(personas, structure="micro")
    complete(personas.colleague, cycle, visit)
    client.force_login(personas.colleague)
    claim(client, cycle)
    readable = client.get(f"/credentials/{first.credential_id}/json/").json()
    assert readable["id"] == f"urn:uuid:{first.credential_id}" and "iss" not in readable

    token = client.get("/credentials/record/jwt/?district=riverbend").content.decode()
    record = checked(client, token)
    assert "ClrCredential" in record["type"]
    inside = record["credentialSubject"]["verifiableCredential"]
    names = sorted(c["credentialSubject"]["achievement"]["name"] for c in inside)
    assert names == [
        "Instructional rounds: Student discourse",
        "Micro-observation: Student discourse",
    ]
    assert len(record["credentialSubject"]["achievement"]) == 2
    assert "Genuine" in client.post("/verify/credential/", {"credential": token}).content.decode()
    # A revoked credential leaves the record.
    Credential.objects.filter(pk=first.pk).update(revoked_at="2026-01-01T00:00Z")
    record = checked(client, client.get("/credentials/record/jwt/").content.decode())
    assert len(record["credentialSubject"]["verifiableCredential"]) == 1


def test_without_a_key_claiming_says_the_district_has_not_set_up_credentials(
    client, personas, completed, settings
):
    settings.OPENDOORS_CREDENTIALS_KEY = ""
    settings.OPENDOORS_CREDENTIALS_KEY_FILE = ""
    client.force_login(personas.colleague)
    assert "has not set up credentials yet" in client.get("/portfolio/").content.decode()
    assert "has not set up credentials yet" in claim(client, completed).content.decode()
    assert not Credential.objects.exists()
    assert client.get("/credentials/issuers/riverbend/").status_code == 404
    assert client.get("/credentials/issuers/riverbend/status/1/").status_code == 404


def test_claiming_twice_gives_one_credential_and_status_bits_are_never_reused(
    personas, completed, key
):
    credential = credential_claim(person=personas.colleague, cycle=completed)
    assert credential_claim(person=personas.colleague, cycle=completed) == credential
    cycle, visit = another_cycle(personas)
    complete(personas.vice, cycle, visit)
    index = credential.status_index
    credential.delete()  # as erasing its holder does
    later = credential_claim(person=personas.vice, cycle=cycle)
    assert later.status_index > index


def test_credentials_key_writes_a_private_key_once(tmp_path, settings, personas, completed):
    path = tmp_path / "credentials.pem"
    call_command("credentials_key", "-o", str(path))
    assert os.stat(path).st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("credentials_key", "-o", str(path))
    settings.OPENDOORS_CREDENTIALS_KEY = ""
    settings.OPENDOORS_CREDENTIALS_KEY_FILE = str(path)
    assert credential_claim(person=personas.colleague, cycle=completed).signed.count(".") == 2
