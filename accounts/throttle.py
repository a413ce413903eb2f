"""Login throttling: after repeated failures for one username or from one address, further
attempts are refused for a while, so passwords cannot be guessed at speed. Counts live in the
cache (Redis in production), keyed by username and by client address."""

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(username: str, address: str) -> list[str]:
    """Hashed, so a key stays short and printable whatever was typed as a username (a 10 MB
    username must not become a 10 MB cache key)."""
    user = hashlib.sha256(
        (username or "").strip().lower().encode(errors="surrogatepass")
    ).hexdigest()
    where = hashlib.sha256(address.encode(errors="surrogatepass")).hexdigest()
    return [f"login-fail:user:{user}", f"login-fail:ip:{where}"]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_locked_out(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    return any(count >= MAX_FAILURES for count in counts.values())


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


def clear_failures(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
