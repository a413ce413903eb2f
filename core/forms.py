"""What every app's forms and views share: putting a service's refusal back on the form, and
the earliest date anything in the district can have happened."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: No studio, ledger entry or payment predates the People's Republic; an earlier date is a typing
#: error (a hostile-input finding: year 0001 was accepted).
EARLIEST_DATE = date(1949, 10, 1)


def not_before_earliest(day: date) -> None:
    """Refuse a date before ``EARLIEST_DATE`` with the one message every form shows."""
    if day < EARLIEST_DATE:
        raise ValidationError(
            _("This date is before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}
        )


def put_errors_on_form(form, exc: ValidationError) -> None:
    """Show a service's refusal beside what the user typed: field errors on their fields (if the
    form has them), the rest on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def show_refusal(request, exc: ValidationError) -> None:
    """A refusal on a page with no form to carry it: one message per reason."""
    for message in exc.messages:
        messages.error(request, message)
