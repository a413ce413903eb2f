"""Login throttling, done by django-axes (settings' ``AXES_*``): it watches Django's
``authenticate()``, so the portal's login page and the admin's are throttled alike.

A lockout is keyed on the pair (username, client address): five failures for one username from
one address refuse that username from that address for a while. Failures with made-up usernames
lock nobody else out, and a user who has not failed is never refused because others failed from
the same address (an office behind one NAT, or every user when the reverse proxy's address was
taken for the client's). These two functions tell axes what the username and the address are.
"""

import ipaddress

from django.conf import settings

#: Longer than any username can be (Django's is 150): a 10 MB "username" is cut to this.
USERNAME_KEY_LENGTH = 150


def username_for_lockout(request, credentials: dict | None = None) -> str:
    """The username typed, as one counter whatever its case or surrounding spaces."""
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    raw = source.get(field)
    return str(raw or "").replace("\x00", "").strip().casefold()[:USERNAME_KEY_LENGTH]


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address. ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_HEADER`` names the header
    the deployment's reverse proxy sets (README, "Deployment"):

    - ``HTTP_X_REAL_IP``: the proxy's one address;
    - ``HTTP_X_FORWARDED_FOR``: a list each proxy appends to, so only its last
      ``TRUSTED_PROXY_COUNT`` entries were written by our proxies; the client is the first of
      those (counted from the right), and whatever the client wrote itself, further left, is
      ignored.

    A missing or malformed header falls back to ``REMOTE_ADDR``: a header is never trusted
    unless configured, since any client can send one. No valid address at all (a request made
    in code, a server on a Unix socket) is None: axes stores addresses in an IP field (``inet``
    on PostgreSQL), which refuses anything else."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    value = request.META.get(header, "")
    if not value:
        return remote
    entries = [entry for entry in value.split(",") if entry.strip()]
    count = max(1, settings.TRUSTED_PROXY_COUNT)
    if header != "HTTP_X_FORWARDED_FOR":
        count = 1
    if len(entries) < count:
        return remote
    return _valid(entries[-count]) or remote
