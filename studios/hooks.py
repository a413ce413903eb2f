"""Registries through which other apps feed the studios app without being imported by it.

``R32_FLAG_PROVIDERS``: callables ``(on: date) -> Iterable[R32Flag]`` returning studios that
meet an automatically detectable revocation ground of R32 as of ``on``. The lifecycle's R32 page
lists them for staff to decide. The ledgers app registers the R32 (4) provider (no new project 2
years running, no achievement 3 years running); the lifecycle itself provides (1) and (2).
A provider must run a constant number of queries, whatever the number of studios.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class R32Flag:
    studio_id: int
    reason: int  # the item number of R32, 1–10
    rule: str  # e.g. "R32-4"
    message_zh: str
    message_en: str
    numbers: dict = field(default_factory=dict)


R32_FLAG_PROVIDERS: list = []


#: Callables ``(studio, on: date) -> list[Finding]`` (``studios.eligibility.Finding``) that may
#: bar a studio from submitting an application. The reviews app checks every guard on
#: submission and refuses when any finding is not ok, showing each with its rule. Funding
#: registers the R29 re-application bar here; reviews registers R4–R9 and "already recognised".
APPLICATION_GUARDS: list = []
