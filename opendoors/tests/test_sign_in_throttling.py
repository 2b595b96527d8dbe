"""Failed sign-ins are throttled per person's address, also behind the load balancer: one
person's mistakes never lock out everyone, and nobody escapes by forging X-Forwarded-For."""

import pytest
from django.core.cache import cache

from opendoors.client_ip import client_ip, trusted_proxies_parse
from schools.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.2"
THROTTLED = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def behind_the_load_balancer(settings):
    settings.OPENDOORS_TRUSTED_PROXIES = trusted_proxies_parse(["10.0.0.0/8"])
    # A sign-in as nobody still hashes a password: a fast hasher first keeps 11 of them quick.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    cache.clear()  # the rate limits count in the cache
    yield
    cache.clear()


def sign_in(client, login: str, password: str, *, remote_addr: str, forwarded_for: str = ""):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/accounts/login/", {"login": login, "password": password}, **headers)


def fail_until_throttled(client, *, remote_addr: str, forwarded_for=lambda i: "") -> None:
    """allauth allows 10 failed sign-ins a minute from one address (ACCOUNT_RATE_LIMITS)."""
    for i in range(10):
        response = sign_in(
            client, f"nobody{i}", "wrong", remote_addr=remote_addr, forwarded_for=forwarded_for(i)
        )
        assert THROTTLED not in response.content.decode()
    response = sign_in(
        client, "nobody", "wrong", remote_addr=remote_addr, forwarded_for=forwarded_for(10)
    )
    assert THROTTLED in response.content.decode()


def test_two_people_behind_the_load_balancer_are_throttled_separately(client, personas):
    fail_until_throttled(client, remote_addr=BALANCER, forwarded_for=lambda i: "203.0.113.7")
    response = sign_in(
        client, "coach", PASSWORD, remote_addr=BALANCER, forwarded_for="198.51.100.9"
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_forged_forwarded_for_from_outside_the_proxies_is_ignored(client, personas):
    fail_until_throttled(
        client, remote_addr="192.0.2.50", forwarded_for=lambda i: f"198.51.100.{i + 1}"
    )


def test_a_client_cannot_pick_its_address_through_the_proxy(client, personas):
    """The proxy appends the address it saw: what the client wrote before it is never read."""
    fail_until_throttled(
        client, remote_addr=BALANCER, forwarded_for=lambda i: f"198.51.100.{i + 1}, 203.0.113.7"
    )


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        ("192.0.2.50", "198.51.100.1", "192.0.2.50"),  # not from a proxy: the header is ignored
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies in a row
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_last_hop_before_our_proxies(
    remote_addr, forwarded_for, expected
):
    proxies = trusted_proxies_parse(["10.0.0.0/8"])
    assert (
        client_ip(remote_addr=remote_addr, forwarded_for=forwarded_for, proxies=proxies) == expected
    )


def test_a_misspelt_proxy_address_stops_the_site_with_the_setting_named():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"OPENDOORS_TRUSTED_PROXIES: '10\.0\.0\.300'"):
        trusted_proxies_parse(["10.0.0.300"])
