"""The address of the person behind a request, for sign-in throttling.

Behind a load balancer every request comes from the balancer's address, so throttling by
`REMOTE_ADDR` would lock everyone out after one person's failed sign-ins. The client's
address is then read from `X-Forwarded-For`, but only when the request comes from a proxy
named in `OPENDOORS_TRUSTED_PROXIES`: anyone else can write that header, so it is ignored.
"""

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.core.exceptions import ImproperlyConfigured

Network = IPv4Network | IPv6Network


def trusted_proxies_parse(values: Iterable[str]) -> list[Network]:
    """Addresses and networks (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`) of the site's proxies."""
    networks = []
    for value in values:
        try:
            networks.append(ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"OPENDOORS_TRUSTED_PROXIES: {value!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/8)."
            ) from None
    return networks


def _is_trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_ip(*, remote_addr: str, forwarded_for: str | None, proxies: list[Network]) -> str:
    """The first address, reading `X-Forwarded-For` from the right (the hop nearest to us),
    that is not one of our proxies. Entries left of it were written by the client and may be
    forged, so they are never read."""
    if not forwarded_for or not _is_trusted(remote_addr, proxies):
        return remote_addr
    address = remote_addr
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        try:
            ip_address(hop)
        except ValueError:
            # A trusted proxy wrote something that is not an address: stop at the last good hop.
            return address
        address = hop
        if not _is_trusted(hop, proxies):
            return hop
    return address
