"""A bar chart drawn on the server as SVG: no script, prints as sharply as the page around it,
and every bar carries its figure so the printout reads without colours."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, BOTTOM, TOP = 56, 40, 24
COLOURS = ("#1f4e8c", "#3f9c5a", "#c77c1e")


def _short(value: Decimal) -> str:
    """Figures in units of 10,000 CNY (万元), as Chinese finance pages show them."""
    return f"{(value / Decimal(10000)).quantize(Decimal('0.1'))}"


def grouped_bars(groups: list[dict], series: list[tuple[str, str]], title: str) -> str:
    """``groups``: dicts with a ``label`` and one value per series key; ``series``: (key, label)."""
    peak = max((g[key] for g in groups for key, _ in series), default=Decimal(0)) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(groups), 1)
    bar_w = min(36.0, slot * 0.8 / len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="funding-chart" '
        f'style="width:100%;max-width:{WIDTH}px;height:auto;font-family:inherit">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 10}" y2="{TOP + plot_h}" '
        'stroke="#333" stroke-width="1"/>',
    ]
    for index, (_key, label) in enumerate(series):
        x = LEFT + index * 150
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[index % 3]}"/>'
            f'<text x="{x + 16}" y="14" font-size="12">{escape(label)}</text>'
        )
    for g_index, group in enumerate(groups):
        x0 = LEFT + g_index * slot + (slot - bar_w * len(series)) / 2
        for s_index, (key, _label) in enumerate(series):
            value = group[key]
            h = float(value / peak) * plot_h
            x = x0 + s_index * bar_w
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[s_index % 3]}"/>'
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{y - 3:.1f}" font-size="10" '
                f'text-anchor="middle">{_short(value)}</text>'
            )
        parts.append(
            f'<text x="{LEFT + g_index * slot + slot / 2:.1f}" y="{TOP + plot_h + 16}" '
            f'font-size="12" text-anchor="middle">{escape(group["label"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
