"""Where a webhook may be sent: http(s) URLs whose host resolves to public addresses only.

A URL naming a host inside the operator's network (a database, a cloud's metadata service,
the API itself) would let whoever registers it probe and reach what the internet cannot. The
host is resolved at registration and again before every attempt (its DNS may have changed
since), every address it resolves to must be public, and the request then goes to the address
checked, not to a second resolution. Only WEBHOOK_ALLOW_PRIVATE=true lets them through (a
developer's local receiver), in every environment: the run command's development process
serves whoever can reach it, and its own API, database and network are what it must not probe.
A refusal names the rule broken, never the address a name resolved to (that would answer a
question about the operator's DNS).
"""

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit

from core.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048


class UrlInvalid(ValueError):
    """The URL cannot be a webhook's: not http(s), no host, credentials in it, no such host."""


class AddressRefused(ValueError):
    """The URL's host resolves to an address that is not public."""


class Target(NamedTuple):
    """A checked URL: its parts, and the address its host resolved to."""

    url: SplitResult
    host: str
    port: int
    address: Address


def allows_private(settings: Settings) -> bool:
    """Whether WEBHOOK_ALLOW_PRIVATE was set to true: nothing else allows them."""
    return settings.webhook_allow_private is True


def parse(url: str) -> SplitResult:
    """The URL's parts, or UrlInvalid saying what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlInvalid(f"The URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise UrlInvalid(f"The URL cannot be read: {exc}") from None
    if parts.scheme not in SCHEMES:
        raise UrlInvalid("Only http and https URLs are accepted")
    if not parts.hostname:
        raise UrlInvalid("The URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UrlInvalid("The URL may not hold credentials: the signature authenticates us")
    if parts.fragment:
        raise UrlInvalid("The URL may not have a #fragment")
    return parts


def is_public(address: Address) -> bool:
    """Not private, loopback, link-local, site-local, multicast, reserved, unspecified, shared
    or otherwise special (an IPv4 address inside IPv6 is judged as IPv4)."""
    return rule_broken(address) is None


def rule_broken(address: Address) -> str | None:
    """Why the address is not public, in a word or two (None: it is)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (
            address.teredo[1] if address.teredo else None)
        if embedded is not None and (inner := rule_broken(embedded)) is not None:
            return inner
        if address.is_site_local:  # fec0::/10: deprecated, yet routed inside some networks
            return "site-local"
    for rule, broken in (("unspecified", address.is_unspecified),
                         ("loopback", address.is_loopback),
                         ("link-local", address.is_link_local),
                         ("multicast", address.is_multicast),
                         ("reserved", address.is_reserved),
                         ("private", address.is_private)):
        if broken:
            return rule
    return None if address.is_global else "shared or otherwise not global"


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (an IP literal: itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlInvalid(f"The host {host!r} cannot be resolved: {exc}") from None
    # The scope of a link-local IPv6 address ("%eth0") is dropped: it is refused anyway.
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    if not addresses:
        raise UrlInvalid(f"The host {host!r} resolves to no address")
    return list(dict.fromkeys(addresses))


def check(url: str, settings: Settings) -> Target:
    """The URL checked and resolved now; UrlInvalid or AddressRefused otherwise."""
    parts = parse(url)
    host = parts.hostname or ""
    port = parts.port or SCHEMES[parts.scheme]
    addresses = resolve(host, port)
    if not allows_private(settings):
        broken = next((r for r in map(rule_broken, addresses) if r is not None), None)
        if broken is not None:
            raise AddressRefused(
                f"The URL's host resolves to a {broken} address, not a public one: refused "
                "unless the server sets WEBHOOK_ALLOW_PRIVATE=true")
    return Target(parts, host, port, addresses[0])
