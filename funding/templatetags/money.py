from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def cny(value):
    """Money as finance writes it, whatever the locale: 1,234,567.80."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return value
