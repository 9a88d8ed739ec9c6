"""Who a request comes from: the one address the server resolved, and the key a rate limit counts it under."""
from __future__ import annotations

import ipaddress

from starlette.requests import Request

IPV6_SITE = 64      # a host picks its own IPv6 address inside its /64: the network is what one client holds


def client_address(request: Request) -> str:
    """The address the server resolved, the one place the product reads it: the peer's, or what a proxy of
    YSS_TRUSTED_PROXIES forwarded (renderer/web/server.py); no header is read here."""
    return request.client.host if request.client else "unknown"


def limited_as(address: str) -> str:
    """Whose limit an address counts against: an IPv4 address itself (also when written IPv6-mapped), an IPv6
    address by its /64, so that walking through the addresses of one's own network does not buy fresh tries."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/{IPV6_SITE}", strict=False))
    return str(ip)
