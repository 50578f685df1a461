"""The address guard: only http(s) URLs whose host resolves to public addresses, unless
WEBHOOK_ALLOW_PRIVATE=true, in every environment; a refusal names the rule, not the address."""

import ipaddress

import pytest

from core.settings import Settings
from workers.webhooks import address_guard
from workers.webhooks.address_guard import AddressRefused, UrlInvalid

REFUSED = ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
           "100.64.0.1", "0.0.0.0", "224.0.0.251", "240.0.0.1",  # noqa: S104 - refused here
           "255.255.255.255",
           "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
           "::ffff:10.0.0.1", "2002:c0a8:0101::1", "64:ff9b::a00:1", "fec0::1",
           "feff::1"]
PUBLIC = ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:81b::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_special_addresses_are_not_public(address: str) -> None:
    assert not address_guard.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are(address: str) -> None:
    assert address_guard.is_public(ipaddress.ip_address(address))


def test_a_host_resolving_to_loopback_is_refused_unless_allowed(sqlite_settings: Settings) -> None:
    with pytest.raises(AddressRefused, match="WEBHOOK_ALLOW_PRIVATE"):
        address_guard.check("http://localhost:8080/hook", sqlite_settings)
    allowed = sqlite_settings.model_copy(update={"webhook_allow_private": True})
    target = address_guard.check("http://localhost:8080/hook", allowed)
    assert target.address.is_loopback and (target.host, target.port) == ("localhost", 8080)
    literal = address_guard.check("https://[::1]/x", allowed)
    assert (str(literal.address), literal.port) == ("::1", 443)


@pytest.mark.parametrize("url", ["ftp://example.com/", "http:///x", "https://u:p@example.com/",
                                 "http://example.com:99999/", "http://example.com/#frag",
                                 "http://" + "a" * 2050 + ".com/"])
def test_urls_that_cannot_be_a_webhooks_are_refused(url: str, sqlite_settings: Settings) -> None:
    with pytest.raises(UrlInvalid):
        address_guard.check(url, sqlite_settings)


def test_only_the_setting_set_to_true_allows_private_addresses_in_any_environment(
    sqlite_settings: Settings,
) -> None:
    def allows(**update: object) -> bool:
        return address_guard.allows_private(sqlite_settings.model_copy(update=update))

    assert not allows(environment="development")  # the run command's: embedded, eager
    assert not allows(environment="test")
    assert not allows(environment="production")
    assert not allows(environment="development", celery_broker_url="redis://broker")
    assert allows(environment="development", webhook_allow_private=True)
    assert allows(environment="production", webhook_allow_private=True)
    assert Settings.model_fields["webhook_allow_private"].default is False


@pytest.mark.parametrize(("host", "rule"), [
    ("localhost", "loopback"), ("127.0.0.1", "loopback"), ("[::1]", "loopback"),
    ("10.1.2.3", "private"), ("169.254.169.254", "link-local"), ("[fec0::1]", "site-local"),
    ("100.64.0.1", "shared"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),  # noqa: S104
])
def test_the_refusal_names_the_rule_broken_not_the_address_resolved(
    sqlite_settings: Settings, host: str, rule: str,
) -> None:
    with pytest.raises(AddressRefused) as refused:
        address_guard.check(f"http://{host}:8080/hook", sqlite_settings)
    message = str(refused.value)
    assert rule in message and "WEBHOOK_ALLOW_PRIVATE" in message
    assert host.strip("[]") not in message and "127.0.0.1" not in message
