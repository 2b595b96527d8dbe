"""Open Badges 3.0 credentials a teacher claims for a cycle they completed, their whole record
as a Comprehensive Learner Record (CLR 2.0), the district's revocation status list, and the
checks the public verify page makes.

A credential is an `OpenBadgeCredential` (W3C Verifiable Credentials Data Model 2.0) naming
the achievement (the cycle's structure, title and problem of practice; never evidence, goals
or answers), the hours and credits the ledger counted for the cycle, its dates, and the
district as issuer. It is signed as a VC-JWT (Open Badges 3.0, section 8.2 "JSON Web Token
Proof Format"): RS256, the minimum every verifier supports, with a `kid` that is the URL of
the district's public key, so any verifier checks it without OpenDoors. Its
`credentialStatus` points at the district's W3C Bitstring Status List v1.0 credential, also
signed, where a revoked credential's bit is 1.

One signing key (PEM, RSA) serves the site's districts: `opendoors credentials-key -o FILE`
makes it; settings read it from `OPENDOORS_CREDENTIALS_KEY_FILE` or
`OPENDOORS_CREDENTIALS_KEY`. Without it nothing is issued and the pages say so.
"""

import base64
import binascii
import gzip
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from inquiry.models import Cycle
from schools.credits import UNIT_NAMES
from schools.models import CreditUnit, District, LearningActivity, Person

from .ledger import counted
from .models import Credential, EntryStatus, Goal, LedgerEntry

Document = dict[str, Any]

CONTEXT_VC = "https://www.w3.org/ns/credentials/v2"
CONTEXT_OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_CLR = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CLR_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)
ALGORITHM = "RS256"  # OB 3.0 §8.2.3: "MUST be RS256 as a minimum"; others limit who can verify.
MIN_KEY_BITS = 2048
# Bitstring Status List v1.0 §6.1: a list is at least 16 KB (131,072 entries), so that one
# credential's bit hides among many.
STATUS_LIST_BITS = 131_072
# The JWT claims OB 3.0 §8.2.4 adds beside the credential's own properties.
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")
# A pasted or uploaded credential larger than this is not one of ours (a CLR of many cycles
# is tens of kilobytes).
MAX_CREDENTIAL_CHARS = 500_000


class CredentialsNotSetUp(Exception):
    """The site has no signing key: nothing can be issued."""

    def __init__(self, district: District):
        super().__init__(
            f"{district.name} has not set up credentials yet: ask a district leader to set "
            "up its signing key (README, Credentials anyone can verify)."
        )


class CredentialRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# The key -----------------------------------------------------------------------------------


def key_generate(bits: int = 3072) -> bytes:
    """A new private key as unencrypted PKCS#8 PEM (`opendoors credentials-key`)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@lru_cache(maxsize=4)
def _key_from_pem(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_KEY_BITS:
        raise ValueError(f"the credentials key must be an RSA key of {MIN_KEY_BITS} bits or more")
    return key


def signing_key() -> rsa.RSAPrivateKey | None:
    """The site's key, from `OPENDOORS_CREDENTIALS_KEY` (the PEM itself) or else the file
    `OPENDOORS_CREDENTIALS_KEY_FILE` names; None when neither is set. A key that is set but
    cannot be read raises: a typo in production must not pass as "not set up"."""
    pem = settings.OPENDOORS_CREDENTIALS_KEY
    if not pem and settings.OPENDOORS_CREDENTIALS_KEY_FILE:
        pem = Path(settings.OPENDOORS_CREDENTIALS_KEY_FILE).read_text()
    if not pem:
        return None
    return _key_from_pem(pem.strip().encode())


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_int(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    """The public half as a JWK (RFC 7517): never `d` or the other private members."""
    numbers = key.public_key().public_numbers()
    return {"kty": "RSA", "n": _b64url_int(numbers.n), "e": _b64url_int(numbers.e)}


def key_thumbprint(key: rsa.RSAPrivateKey) -> str:
    """RFC 7638: SHA-256 of the required members in lexical order, without spaces."""
    jwk = public_jwk(key)
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


# Stable public addresses ----------------------------------------------------------------------


def _site(path: str) -> str:
    return settings.OPENDOORS_SITE_URL + path


def issuer_id(district: District) -> str:
    return _site(reverse("growth:credential_issuer", args=[district.slug]))


def key_url(district: District, key: rsa.RSAPrivateKey) -> str:
    return _site(reverse("growth:credential_key", args=[district.slug, key_thumbprint(key)]))


def jwks_url(district: District) -> str:
    return _site(reverse("growth:credential_jwks", args=[district.slug]))


def status_list_url(district: District, number: int) -> str:
    return _site(reverse("growth:credential_status_list", args=[district.slug, number]))


def list_of(index: int) -> tuple[int, int]:
    """(list number from 1, bit within it) of a status index."""
    return index // STATUS_LIST_BITS + 1, index % STATUS_LIST_BITS


def issuer_profile(district: District) -> Document:
    """The OB 3.0 `Profile` published at the issuer's id (and embedded in each credential)."""
    return {
        "@context": [CONTEXT_VC, CONTEXT_OB],
        "id": issuer_id(district),
        "type": ["Profile"],
        "name": district.name,
        "url": settings.OPENDOORS_SITE_URL + "/",
    }


def jwks(district: District, key: rsa.RSAPrivateKey) -> Document:
    return {"keys": [key_document(district, key)]}


def key_document(district: District, key: rsa.RSAPrivateKey) -> dict[str, str]:
    return {**public_jwk(key), "kid": key_url(district, key), "alg": ALGORITHM, "use": "sig"}


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def subject_id(district: District, person: Person) -> str:
    """A stable identifier of the learner that names nobody: the same in every credential
    the district gives them, so a CLR's credentials are seen to be one person's."""
    return _urn(f"{issuer_id(district)}people/{person.pk}")


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _sign(district: District, key: rsa.RSAPrivateKey, document: Document) -> str:
    """A compact JWS of the document with the JWT claims of OB 3.0 §8.2.4: iss = issuer.id,
    jti = id, nbf = validFrom, sub = credentialSubject.id. Only alg, kid and typ in the header
    (§8.2.3: "Additional JOSE Headers are NOT allowed")."""
    valid_from = datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
    claims = {
        **document,
        "iss": document["issuer"]["id"]
        if isinstance(document["issuer"], dict)
        else document["issuer"],
        "jti": document["id"],
        "nbf": int(valid_from.timestamp()),
        "sub": document["credentialSubject"]["id"],
    }
    headers = {"kid": key_url(district, key), "typ": "JWT"}
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers=headers)


def _part(segment: str) -> Document:
    padded = segment + "=" * (-len(segment) % 4)
    value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def document_of(signed: str) -> Document:
    """The credential inside a compact JWS we issued, without the JWT claims: the readable
    copy a teacher downloads, and what a CLR embeds."""
    payload = _part(signed.split(".")[1])
    return {k: v for k, v in payload.items() if k not in JWT_CLAIMS}


# What a credential says ----------------------------------------------------------------------


@dataclass(frozen=True)
class Earned:
    minutes: int
    credits: Decimal
    unit: str
    first: date
    last: date

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


def earned_in_cycle(person: Person, cycle: Cycle, district: District) -> Earned:
    """The ledger's minutes and credits of the person's learning in the cycle (what counts,
    as on their transcript), in the district's unit, and the first and last day of it."""
    entries = LedgerEntry.objects.filter(counted(), person=person, cycle=cycle)
    totals = entries.aggregate(minutes=Sum("minutes"), first=Min("date"), last=Max("date"))
    credits = entries.filter(credit_unit=district.credit_unit).aggregate(c=Sum("credits"))["c"]
    today = timezone.localdate()
    return Earned(
        minutes=totals["minutes"] or 0,
        credits=credits or Decimal(0),
        unit=district.credit_unit,
        first=totals["first"] or today,
        last=totals["last"] or today,
    )


def _unit_words(unit: str, amount: Decimal) -> str:
    one, many = UNIT_NAMES.get(unit, (unit, unit))  # type: ignore[call-overload]
    return one if amount == 1 else many


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _achievement_name(structure: str, title: str) -> str:
    """ "Instructional rounds: Student discourse"; the title alone when it names its structure
    already ("Learning walk: …", "Rounds: …"), rather than saying it twice."""
    lead, colon, _ = title.partition(":")
    lead = lead.strip().lower()
    if colon and lead and (lead in structure.lower() or structure.lower() in lead):
        return title
    return f"{structure}: {title}"


def achievement_of(cycle: Cycle, district: District) -> Document:
    """What the cycle was: its structure, title and problem of practice. Nothing observed,
    written or answered in it. Its id is a name, not an address: the cycle's plan is not
    published on the web; the credential carries all of the achievement."""
    structure = cycle.get_structure_display()
    focus = cycle.problem_of_practice.strip()
    description = (
        f"A {structure.lower()} cycle of job-embedded professional learning at "
        f"{cycle.school.name}. Problem of practice: {focus}"
        if focus
        else f"A {structure.lower()} cycle of job-embedded professional learning at "
        f"{cycle.school.name}."
    )
    return {
        "id": _urn(f"{issuer_id(district)}cycles/{cycle.pk}"),
        "type": ["Achievement"],
        "name": _achievement_name(structure, cycle.title),
        "description": description,
        "criteria": {
            "narrative": (
                "Took part in a classroom visit of the cycle, set a goal of what they would "
                "try in their own classroom, and answered that goal's follow-up."
            )
        },
        "tag": [structure],
        "creator": {"id": issuer_id(district), "type": ["Profile"], "name": district.name},
        "resultDescription": [
            {
                "id": _urn(f"{issuer_id(district)}cycles/{cycle.pk}/hours"),
                "type": ["ResultDescription"],
                "name": "Hours of professional learning",
                "resultType": "ext:ClockHours",
            }
        ],
    }


def _identifier(person: Person) -> list[Document]:
    return [
        {
            "type": "IdentityObject",
            "identityHash": person.get_full_name() or person.username,
            "identityType": "name",
            "hashed": False,
        }
    ]


def credential_document(
    *, credential: Credential, person: Person, cycle: Cycle, earned: Earned
) -> Document:
    district = credential.district
    achievement = achievement_of(cycle, district)
    status_url = status_list_url(district, list_of(credential.status_index)[0])
    # In clock hours, the result is the credits the ledger gave (rounded entry by entry), so
    # the credential states one figure, not that and the minutes divided again.
    hours = earned.credits if earned.unit == CreditUnit.CLOCK_HOURS else earned.hours
    return {
        "@context": [CONTEXT_VC, CONTEXT_OB],
        "id": f"urn:uuid:{credential.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "description": (
            f"{_duration(earned.minutes)} of professional learning "
            f"({earned.credits.normalize():f} {_unit_words(earned.unit, earned.credits)}), "
            f"{earned.first.isoformat()} to {earned.last.isoformat()}."
        ),
        "issuer": {"id": issuer_id(district), "type": ["Profile"], "name": district.name},
        "validFrom": _instant(credential.issued_at),
        "credentialSchema": [{"id": OB_SCHEMA, "type": SCHEMA_TYPE}],
        "credentialSubject": {
            "id": subject_id(district, person),
            "type": ["AchievementSubject"],
            "identifier": _identifier(person),
            "achievement": achievement,
            "activityStartDate": _day(earned.first),
            "activityEndDate": _day(earned.last),
            "creditsEarned": float(earned.credits),
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": achievement["resultDescription"][0]["id"],
                    "value": f"{hours.normalize():f}",
                }
            ],
        },
        "credentialStatus": {
            "id": f"{status_url}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_url,
        },
    }


# Claiming and revoking -----------------------------------------------------------------------


def completed_cycles(person: Person) -> QuerySet[Cycle]:
    """Cycles the person completed: took part in a visit of it that happened (the ledger
    counted them observing or hosting it), set a goal in it and answered that goal's
    follow-up."""
    took_part = LedgerEntry.objects.filter(
        person=person,
        cycle=OuterRef("pk"),
        activity__in=[LearningActivity.OBSERVED, LearningActivity.HOSTED],
    ).exclude(status=EntryStatus.RETURNED)
    answered = Goal.objects.filter(
        person=person, cycle=OuterRef("pk"), follow_up__answered_at__isnull=False
    )
    return Cycle.objects.filter(Exists(took_part), Exists(answered))


def claimable_cycles(person: Person) -> list[Cycle]:
    """Completed cycles the person has no credential for yet (one query)."""
    claimed = Credential.objects.filter(person=person, cycle=OuterRef("pk"))
    return list(
        completed_cycles(person)
        .exclude(Exists(claimed))
        .select_related("school__district")
        .order_by("-created_at", "-pk")
    )


# Index 0 is never a credential's: a new row holds it only inside its own claiming transaction,
# while the district's row is locked, until its primary key gives it its index.
PENDING_INDEX = 0


@transaction.atomic
def credential_claim(*, person: Person, cycle: Cycle) -> Credential:
    """The person's credential for a cycle they completed, issued now, or the one they
    already have (revoked or not: one per person and cycle)."""
    existing = Credential.objects.filter(person=person, cycle=cycle).first()
    if existing:
        return existing
    if not completed_cycles(person).filter(pk=cycle.pk).exists():
        raise CredentialRefused(
            "A credential is for a cycle you completed: take part in one of its visits, set "
            "a goal, and answer the goal's follow-up."
        )
    return credential_issue(person=person, cycle=cycle)


@transaction.atomic
def credential_issue(*, person: Person, cycle: Cycle) -> Credential:
    """Sign and keep the person's credential for the cycle (whether they completed it is the
    claim's question), or return the one they have.

    Its status index is its row's primary key: database keys are never handed out twice
    (PostgreSQL sequences, SQLite AUTOINCREMENT), so no status bit is ever reused, even
    after a credential is erased, and no later credential inherits a revocation. Issues in
    one district wait for each other on the district's row."""
    district = District.objects.select_for_update().get(pk=cycle.school.district_id)
    existing = Credential.objects.filter(person=person, cycle=cycle).first()
    if existing:  # claimed meanwhile (another tab, a double click): it committed first
        return existing
    key = signing_key()
    if key is None:
        raise CredentialsNotSetUp(district)
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                person=person,
                district=district,
                cycle=cycle,
                status_index=PENDING_INDEX,
                issued_at=timezone.now(),
                signed="",
            )
    except IntegrityError:  # the same claim, on a database that did not wait on the lock
        return Credential.objects.get(person=person, cycle=cycle)
    credential.status_index = credential.pk
    earned = earned_in_cycle(person, cycle, district)
    document = credential_document(credential=credential, person=person, cycle=cycle, earned=earned)
    credential.signed = _sign(district, key, document)
    credential.save(update_fields=["status_index", "signed"])
    return credential


@transaction.atomic
def credential_revoke(*, credential: Credential, reason: str, by: Person) -> bool:
    """Turn the credential's status bit on. False when it was revoked already."""
    from schools.services import audit_record

    changed = Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:300]
    )
    if changed:
        cycle_title = credential.cycle.title if credential.cycle else "a cycle"
        audit_record(
            district=credential.district,
            actor=by,
            subject=credential.person,
            action="credential_revoked",
            summary=f"Revoked {credential.person}'s credential for {cycle_title}: {reason}"[:500],
        )
    return bool(changed)


# The status list -----------------------------------------------------------------------------


def bits_encode(indexes: Iterable[int]) -> str:
    """Bitstring Status List v1.0 §4.1: index 0 is the left-most bit of the first byte;
    GZIP, then Multibase base64url without padding ("u" prefix)."""
    bits = bytearray(STATUS_LIST_BITS // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_signed(district: District, number: int, key: rsa.RSAPrivateKey) -> str:
    """The district's revocation list number `number` as a signed `BitstringStatusListCredential`,
    as it stands now."""
    first = (number - 1) * STATUS_LIST_BITS
    revoked = Credential.objects.filter(
        district=district,
        revoked_at__isnull=False,
        status_index__gte=first,
        status_index__lt=first + STATUS_LIST_BITS,
    ).values_list("status_index", flat=True)
    url = status_list_url(district, number)
    document = {
        "@context": [CONTEXT_VC],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(district),
        "validFrom": _instant(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": bits_encode(index - first for index in revoked),
        },
    }
    return _sign(district, key, document)


# The whole record ----------------------------------------------------------------------------


def record_districts(person: Person) -> list[District]:
    """Districts that issued the person a credential still standing."""
    ids = Credential.objects.filter(person=person, revoked_at__isnull=True).values("district")
    return list(District.objects.filter(pk__in=ids).order_by("name"))


def clr_signed(*, person: Person, district: District) -> str:
    """The person's Comprehensive Learner Record (CLR 2.0 `ClrCredential`) from the district:
    every credential they claimed there and that stands, each embedded whole, and their
    achievements; signed as the credentials are. Made anew on each download."""
    key = signing_key()
    if key is None:
        raise CredentialsNotSetUp(district)
    held = Credential.objects.filter(
        person=person, district=district, revoked_at__isnull=True
    ).order_by("issued_at", "pk")
    documents = [document_of(credential.signed) for credential in held]
    name = person.get_full_name() or person.username
    document = {
        "@context": [CONTEXT_VC, CONTEXT_CLR, CONTEXT_OB],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"Professional learning record of {name}",
        "description": f"Cycles of job-embedded professional learning {name} completed.",
        "issuer": {"id": issuer_id(district), "type": ["Profile"], "name": district.name},
        "validFrom": _instant(timezone.now()),
        "credentialSchema": [{"id": CLR_SCHEMA, "type": SCHEMA_TYPE}],
        "credentialSubject": {
            "id": subject_id(district, person),
            "type": ["ClrSubject"],
            "identifier": _identifier(person),
            "achievement": [d["credentialSubject"]["achievement"] for d in documents],
            "verifiableCredential": documents,
        },
    }
    return _sign(district, key, document)


# Verifying -----------------------------------------------------------------------------------


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    TAMPERED = "tampered"
    ELSEWHERE = "elsewhere"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    message: str
    document: Document | None = None
    revoked_on: date | None = None
    # For a CLR: how many of the credentials it holds were revoked since.
    revoked_inside: int = 0


MALFORMED = Verification(
    Verdict.MALFORMED,
    "This is not a credential: a credential from OpenDoors is one long line of letters and "
    "digits in three parts separated by dots (the .jwt file). Paste all of it, or upload the file.",
)
READABLE_COPY = Verification(
    Verdict.MALFORMED,
    "This is the readable copy of a credential (the .json file), which carries no signature. "
    "Check the .jwt file instead.",
)
KID = re.compile(r"/credentials/issuers/(?P<slug>[-a-zA-Z0-9_]+)/keys/(?P<thumbprint>[-\w]+)/\Z")


def _revoked_on(district: District, index: object) -> date | None:
    try:
        number = int(str(index))
    except ValueError:
        return None
    row = (
        Credential.objects.filter(district=district, status_index=number)
        .values_list("revoked_at", flat=True)
        .first()
    )
    return timezone.localdate(row) if row else None


def credential_verify(text: str) -> Verification:
    """What the public verify page answers about a pasted or uploaded credential. The steps of
    OB 3.0 §8.2.5: the key the `kid` names, the signature, then the claims against the
    credential; then its status bit."""
    text = "".join(text.split())  # line breaks and spaces pasted with it
    if text.startswith("{"):
        return READABLE_COPY
    parts = text.split(".")
    if len(parts) != 3 or len(text) > MAX_CREDENTIAL_CHARS:
        return MALFORMED
    try:
        header = _part(parts[0])
        _part(parts[1])
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return MALFORMED
    kid = header.get("kid")
    site = settings.OPENDOORS_SITE_URL
    match = KID.match(kid[len(site) :]) if isinstance(kid, str) and kid.startswith(site) else None
    district = District.objects.filter(slug=match["slug"]).first() if match else None
    key = signing_key()
    if match is None or district is None or key is None:
        return Verification(
            Verdict.ELSEWHERE,
            "This credential was not issued by this OpenDoors site: check it with its "
            "issuer's own tools.",
        )
    if match["thumbprint"] != key_thumbprint(key) or header.get("alg") != ALGORITHM:
        return Verification(
            Verdict.TAMPERED,
            f"This credential names a key {district.name} does not publish: it was not "
            "signed by the district, or was altered.",
        )
    try:
        claims = jwt.decode(
            text,
            key.public_key(),
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "nbf", "sub"], "verify_aud": False},
            leeway=60,
        )
    except jwt.InvalidSignatureError:
        return Verification(
            Verdict.TAMPERED,
            "The signature does not match: this credential was altered after "
            f"{district.name} signed it.",
        )
    except jwt.PyJWTError:
        return MALFORMED
    document = {k: v for k, v in claims.items() if k not in JWT_CLAIMS}
    if not _claims_agree(claims, district):
        return Verification(
            Verdict.TAMPERED, "Its claims do not agree with the credential inside it.", document
        )
    types = document.get("type") or []
    if "ClrCredential" in types:
        inside = document.get("credentialSubject", {}).get("verifiableCredential") or []
        revoked = sum(
            1
            for each in inside
            if _revoked_on(district, each.get("credentialStatus", {}).get("statusListIndex"))
        )
        return Verification(
            Verdict.VALID,
            f"A genuine learner record from {district.name}.",
            document,
            revoked_inside=revoked,
        )
    status = document.get("credentialStatus") or {}
    revoked_on = _revoked_on(district, status.get("statusListIndex"))
    if revoked_on:
        return Verification(
            Verdict.REVOKED,
            f"{district.name} issued this credential and revoked it on "
            f"{revoked_on:%B} {revoked_on.day}, {revoked_on.year}.",
            document,
            revoked_on,
        )
    return Verification(
        Verdict.VALID, f"A genuine credential from {district.name}, not revoked.", document
    )


def _claims_agree(claims: Document, district: District) -> bool:
    issuer = claims.get("issuer")
    issuer_value = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = claims.get("credentialSubject")
    valid_from = claims.get("validFrom")
    if not isinstance(subject, dict) or not isinstance(valid_from, str):
        return False
    try:
        starts = datetime.fromisoformat(valid_from.replace("Z", "+00:00"))
    except ValueError:
        return False
    return (
        claims["iss"] == issuer_value == issuer_id(district)
        and claims["jti"] == claims.get("id")
        and claims["sub"] == subject.get("id")
        and claims["nbf"] == int(starts.timestamp())
    )


# The portfolio's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    held: list[Credential]
    claimable: list[Cycle]
    # Districts whose record (CLR) the person can download: those with a standing credential.
    districts: list[District]
    set_up: bool


def credentials_panel(person: Person) -> Panel:
    """The portfolio's credentials section, in two queries."""
    held = list(
        Credential.objects.filter(person=person)
        .select_related("cycle", "district")
        .order_by("-issued_at", "-pk")
    )
    districts = {c.district_id: c.district for c in held if c.revoked_at is None}
    return Panel(
        held=held,
        claimable=claimable_cycles(person),
        districts=sorted(districts.values(), key=lambda d: d.name),
        set_up=signing_key() is not None,
    )
