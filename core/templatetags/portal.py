from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts the list by ``key`` and flips direction on a second click."""
    current = context.get("current_sort", "")
    query = context.get("filter_query", "")
    if current == key:
        target, arrow = f"-{key}", " ▲"
    elif current == f"-{key}":
        target, arrow = key, " ▼"
    else:
        target, arrow = key, ""
    prefix = f"{query}&" if query else ""
    return format_html(
        '<a href="?{}sort={}" class="text-reset">{}{}</a>', prefix, target, label, arrow
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
