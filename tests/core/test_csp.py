"""The Content-Security-Policy allows no inline script, and no template needs one."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

#: An event handler attribute (onclick=, onsubmit=, onchange= …) or htmx's hx-on.
HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def project_templates():
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))


def inline_script_problems(text: str) -> list[str]:
    problems = [f"handler {m.group(1)}=" for m in HANDLER.finditer(text)]
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" not in attributes:
            problems.append(f"inline <script{attributes}>")
    problems += [f"javascript: URL in {m.group(1)}" for m in JS_URL.finditer(text)]
    return problems


def test_the_scanner_finds_what_it_looks_for():
    assert inline_script_problems('<button onclick="return confirm(1)">')
    assert inline_script_problems('<select class="x"\n  onchange="this.form.submit()">')
    assert inline_script_problems('<div hx-on:click="alert(1)">')
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<a href="javascript:void(0)">')
    assert not inline_script_problems('<script src="/static/js/portal.js"></script>')
    assert not inline_script_problems('<button data-confirm="Remove?" class="btn">')


def test_no_template_has_an_inline_script_or_handler():
    templates = project_templates()
    assert len(templates) > 50  # the scan really reads the project's templates
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates
        if (problems := inline_script_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def script_sources(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    return []


@pytest.mark.django_db
def test_the_header_allows_no_inline_script(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert script_sources(policy) == ["'self'"]
    assert "'unsafe-inline'" not in script_sources(policy)
    assert "'unsafe-eval'" not in script_sources(policy)
