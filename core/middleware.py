"""Response headers Django 5.2 does not set by itself.

Content-Security-Policy: everything from our own origin only (no CDN, no foreign script, no
framing, forms post only to us, no plugins). ``script-src 'self'``: no page carries an inline
handler (``onclick=`` …) or an inline ``<script>`` block; behaviour comes from static files
(static/js/portal.js: ``data-confirm``, ``data-autosubmit``, ``data-print``, the countdown), page
data travels in ``json_script`` blocks (type application/json, never executed), and htmx is told
not to evaluate code or inject its indicator style (base.html's ``htmx-config``).
tests/core/test_csp.py fails on any inline script or handler in a template.
``style-src`` still allows ``'unsafe-inline'``: a dozen templates carry ``style="…"`` attributes
(widths, sticky offsets) and Django's admin has more; inline styles cannot run code, so the
policy's point, that no injected text can run script, holds without them.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
