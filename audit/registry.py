"""Who may read each audit action, and how it reads: the one registry of action codes.

Every app registers its own actions from ``AppConfig.ready()``::

        from audit.registry import APPLICANT, AUDITOR, FINANCE, ActionSpec, register_actions

    register_actions({
        "studio_decision.signed_union": ActionSpec(
            label=_("Decision signed by the district union"), audiences={AUDITOR}
        ),
    })

Audiences (``STAFF`` is always included and need not be named):

- ``APPLICANT``: the studio's own enterprise union. Pages already scope a union to its own
  studios; the audience says which of its studio's events it reads.
- ``FINANCE``: finance staff (money, and the outcomes money follows).
- ``AUDITOR``: the audit bodies (money and decisions, Art. 27).
- ``STAFF``: district union and bureau staff, administrators. They read every event,
  registered or not.

Experts belong to no audience: they read no event of the log.

An action that nobody registered is read by staff only (fail closed), and
``tests/audit/test_audiences.py`` fails for every code the code base writes without a spec.

What an applicant reads of an event it may see (``readable``): never a person other than its own
union's users — staff, finance and experts appear as their body ("经开区总工会"); the free-text
reason only where the spec says ``applicant_reason=True`` (a return comment, a refusal addressed
to the applicant), never a decision note; with ``applicant_only_if`` only the events matching
that ``Q`` (for instance a sign-off that made a decision effective, not a pending one).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import pgettext_lazy

APPLICANT = "applicant"
FINANCE = "finance"
AUDITOR = "auditor"
STAFF = "staff"
AUDIENCES = (APPLICANT, FINANCE, AUDITOR, STAFF)


@dataclass(frozen=True, eq=False)
class ActionSpec:
    """One action code: its label in the reader's language and who may read it."""

    label: Any
    audiences: frozenset = field(default_factory=frozenset)
    #: The applicant reads the event's free-text reason (addressed to it), not only the event.
    applicant_reason: bool = False
    #: The applicant reads only the events that match this ``Q`` on ``AuditEvent``.
    applicant_only_if: Q | None = None
    #: How the event reads to the applicant, when that differs from ``label``.
    applicant_label: Any = None
    #: ``describe(event) -> str``: one line of detail from the event's data (an outcome).
    describe: Callable | None = None

    def __post_init__(self):
        audiences = frozenset(self.audiences) | {STAFF}
        unknown = audiences - set(AUDIENCES)
        if unknown:
            raise ImproperlyConfigured(f"unknown audit audience(s): {sorted(unknown)}")
        object.__setattr__(self, "audiences", audiences)


_SPECS: dict[str, ActionSpec] = {}


def register_actions(specs: dict[str, ActionSpec]) -> None:
    """Register action codes (once each; registering the same spec again is harmless)."""
    for code, spec in specs.items():
        if not isinstance(spec, ActionSpec):
            raise ImproperlyConfigured(f"{code}: register an ActionSpec, not {type(spec)}")
        known = _SPECS.get(code)
        if known is not None and known is not spec and not _same(known, spec):
            raise ImproperlyConfigured(f"audit action {code!r} is registered twice")
        _SPECS[code] = spec


def _same(a: ActionSpec, b: ActionSpec) -> bool:
    return (
        str(a.label) == str(b.label)
        and a.audiences == b.audiences
        and a.applicant_reason == b.applicant_reason
        and a.applicant_only_if == b.applicant_only_if
        and a.describe == b.describe
    )


def spec_for(action: str) -> ActionSpec | None:
    return _SPECS.get(action)


def registered_actions() -> dict[str, ActionSpec]:
    return dict(_SPECS)


def label_for(action: str, audience: str | None = None):
    """The human label; an unregistered action reads as its code (staff only ever see it)."""
    spec = _SPECS.get(action)
    if spec is None:
        return action
    if audience == APPLICANT and spec.applicant_label is not None:
        return spec.applicant_label
    return spec.label


# --- Readers ------------------------------------------------------------------------------


def audience_of(user) -> str | None:
    """The audience a user reads as; None reads nothing (experts, anonymous, inactive)."""
    from accounts.models import Role

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return STAFF
    return {
        Role.ENTERPRISE_UNION: APPLICANT,
        Role.DISTRICT_UNION: STAFF,
        Role.BUREAU: STAFF,
        Role.ADMIN: STAFF,
        Role.FINANCE: FINANCE,
        Role.AUDITOR: AUDITOR,
    }.get(user.role)


def audience_filter(audience: str | None) -> Q | None:
    """The ``Q`` on ``AuditEvent`` of what an audience reads; None means everything (staff)."""
    if audience == STAFF:
        return None
    if audience is None:
        return Q(pk__in=[])
    plain, conditional = [], []
    for code, spec in _SPECS.items():
        if audience not in spec.audiences:
            continue
        if audience == APPLICANT and spec.applicant_only_if is not None:
            conditional.append(Q(action=code) & spec.applicant_only_if)
        else:
            plain.append(code)
    q = Q(action__in=sorted(plain))
    for extra in conditional:
        q |= extra
    return q


def visible_to(queryset, user):
    """The events of ``queryset`` the user may read (one filter, no extra query)."""
    q = audience_filter(audience_of(user))
    return queryset if q is None else queryset.filter(q)


#: How a person of another body appears to an applicant: as the body, never by name.
BODY_OF_ROLE = {
    "district_union": pgettext_lazy("body", "E-Town Federation of Trade Unions"),
    "bureau": pgettext_lazy("body", "E-Town Science and Technology Innovation Bureau"),
    "finance": pgettext_lazy("body", "Finance office"),
    "auditor": pgettext_lazy("body", "Audit office"),
    "expert": pgettext_lazy("body", "Review panel"),
    "admin": pgettext_lazy("body", "Portal administration"),
}


def actor_as_seen_by(event, audience: str | None):
    """The actor a reader sees: the person, or for an applicant reading another body's action,
    that body. None when the system acted."""
    actor = event.actor
    if actor is None or audience != APPLICANT:
        return actor
    if actor.role == "enterprise_union" and not actor.is_superuser:
        return actor
    role = "admin" if actor.is_superuser else actor.role
    return BODY_OF_ROLE.get(role, BODY_OF_ROLE["admin"])


#: Objects that are the studio page's own subject: the label alone says what happened.
_SUBJECT_TYPES = {"studios.studio", "studios.certificate", "studios.renamerequest"}


class ReadableEvent:
    """An audit event as one reader may read it: the label for its audience, the actor as that
    reader may see them, the reason only where allowed. Other attributes are the event's."""

    def __init__(self, event, audience: str | None):
        spec = _SPECS.get(event.action)
        self.event = event
        self.audience = audience
        self.label = label_for(event.action, audience)
        self.actor = actor_as_seen_by(event, audience)
        shows_reason = audience != APPLICANT or (spec is not None and spec.applicant_reason)
        self.reason = event.reason if shows_reason else ""
        # What the event was about, unless that is the studio itself (the page's own subject)
        # or the spec describes the event in the reader's language instead.
        plain = event.object_type in _SUBJECT_TYPES or (spec is not None and spec.describe)
        self.object_label = "" if plain else event.object_repr

    def __getattr__(self, name):
        return getattr(self.event, name)

    def __str__(self):
        return str(self.event)


def readable(events, user) -> list[ReadableEvent]:
    """Events already filtered with ``visible_to``, wrapped for the reader."""
    audience = audience_of(user)
    return [ReadableEvent(e, audience) for e in events]


def readable_events(queryset, user, limit: int) -> list[ReadableEvent]:
    """Filter, cut and wrap in one go: what a page's timeline shows the user."""
    return readable(visible_to(queryset, user)[:limit], user)


__all__ = [
    "APPLICANT",
    "AUDIENCES",
    "AUDITOR",
    "FINANCE",
    "STAFF",
    "ActionSpec",
    "ReadableEvent",
    "audience_filter",
    "audience_of",
    "label_for",
    "readable",
    "readable_events",
    "register_actions",
    "registered_actions",
    "spec_for",
    "visible_to",
]
