"""Home-page panels. Each app registers the panels it adds to a role's home page in its
``AppConfig.ready()``; the home view renders those the user's role may see, in order.

    register_panel("reviews/_home_expert.html", roles={Role.EXPERT}, context=expert_panel_context)

``context(request) -> dict`` must run a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset
    context: Callable | None
    order: int


PANELS: list[Panel] = []


def register_panel(template: str, *, roles, context=None, order: int = 100) -> None:
    if any(p.template == template for p in PANELS):
        return
    PANELS.append(Panel(template, frozenset(roles), context, order))
    PANELS.sort(key=lambda p: p.order)


def panels_for(request) -> list[dict]:
    user = request.user
    role = "admin" if user.is_superuser else user.role
    shown = []
    for panel in PANELS:
        if role in panel.roles:
            shown.append(
                {"template": panel.template, **(panel.context(request) if panel.context else {})}
            )
    return shown
