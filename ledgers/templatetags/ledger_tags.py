from datetime import date

from django import template

from ledgers.kinds import display

register = template.Library()


@register.filter
def cell(entry, column):
    """``{{ entry|cell:column }}``: the entry's value in that column, as people read it."""
    value = display(entry, column)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value
