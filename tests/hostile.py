"""Hostile input, drawn from a form's own fields: random text (10 MB of Chinese included, in
a separate test per app), huge and negative numbers, ancient and future dates, impossible
dates, wrong file contents, foreign keys that do not exist. Used by each app's
``test_hostile_input.py``; the studios app's tests set the style."""

import uuid

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEN_MB_OF_CHINESE = "创" * (10 * 1024 * 1024 // 3)

texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u0000x"]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["-0.01", "0", "1e309", "99999999999.99", "1,000", "１２３"]),
    st.text(max_size=20),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "-1", "", "2100-01-01"]),
    st.text(max_size=12),
)
datetimes = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", ""]),
    st.text(max_size=20),
)
ids = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.text(max_size=8),
)
# Wrong contents under a plausible name: a "PDF" that is text, an "image" of random bytes,
# an executable, an empty file.
_contents = st.one_of(
    st.binary(max_size=2048),
    st.sampled_from([b"", b"MZ\x90\x00" + b"\x00" * 60, b"%PDF", b"PK\x03\x04broken"]),
)
_names = st.sampled_from(
    ["a.pdf", "photo.jpg", "x.png", "sheet.xlsx", "doc.docx", "run.exe", "noext", "../../x.pdf"]
)
uploads = st.builds(
    lambda name, content: SimpleUploadedFile(name, content, content_type="application/pdf"),
    _names,
    _contents,
)


def value_for(field):
    """A strategy of hostile values for one form field, by its kind."""
    if isinstance(field, forms.FileField):
        return uploads
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "false"])
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return numbers
    if isinstance(field, forms.DateTimeField):
        return datetimes
    if isinstance(field, forms.DateField):
        return dates
    if isinstance(field, forms.ModelMultipleChoiceField):
        return st.lists(ids, max_size=3)
    if isinstance(field, forms.ModelChoiceField):
        return ids
    if isinstance(field, forms.ChoiceField):
        valid = [str(value) for value, _label in field.choices if value != ""] or ["x"]
        return st.one_of(st.sampled_from(valid), st.text(max_size=20))
    if isinstance(field, forms.UUIDField):
        return st.one_of(st.just(str(uuid.uuid4())), st.text(max_size=40))
    return texts


def form_data(form, keep=None):
    """A strategy of whole POST bodies for ``form`` (an instance), every field hostile except
    those in ``keep`` (fixed values, e.g. a CSRF-like token the test needs valid)."""
    keep = keep or {}
    fields = {name: value_for(field) for name, field in form.fields.items() if name not in keep}
    return st.fixed_dictionaries({**{k: st.just(v) for k, v in keep.items()}, **fields})


def counts(*models) -> tuple:
    return tuple(model.objects.count() for model in models)


def _fresh(valid: dict) -> dict:
    return {k: (v() if callable(v) else v) for k, v in valid.items()}


def one_field_hostile(form, valid: dict):
    """A strategy of POST bodies that are valid except for one field, so the hostile value is
    what the form and the service must catch (an all-hostile body is refused for the first
    bad field and never reaches the checks behind it). Callable values in ``valid`` (files)
    are called afresh for each example."""
    names = sorted(name for name in form.fields if name in valid)
    return st.sampled_from(names).flatmap(
        lambda name: value_for(form.fields[name]).map(lambda value: {**_fresh(valid), name: value})
    )


def plausible_value(field, day="2025-06-02"):
    """A value the field accepts, to build the valid body ``one_field_hostile`` starts from."""
    if isinstance(field, forms.FileField | forms.BooleanField):
        return None
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return "1"
    if isinstance(field, forms.DateTimeField):
        return f"{day}T10:00"
    if isinstance(field, forms.DateField):
        return day
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [str(first.pk)] if first else []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else ""
    if isinstance(field, forms.ChoiceField):
        return next(str(value) for value, _label in field.choices if value != "")
    if isinstance(field, forms.UUIDField):
        return str(uuid.uuid4())
    return "正常内容"


def plausible_data(form, **overrides) -> dict:
    data = {name: plausible_value(field) for name, field in form.fields.items()}
    return {k: v for k, v in {**data, **overrides}.items() if v is not None}
