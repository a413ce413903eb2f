"""Response headers Django 5.2 does not set by itself.

Content-Security-Policy: everything from our own origin only (no CDN, no foreign script, no
framing, forms post only to us, no plugins). Our pages still carry a few inline ``onclick`` /
``onchange`` handlers and two inline ``<script>`` blocks (chart data, the countdown), and htmx
injects its indicator style, so ``script-src`` and ``style-src`` allow ``'unsafe-inline'``:
the policy stops an injected ``<script src=…>`` from elsewhere and any exfiltration
(``connect-src 'self'``), not an inline one. Moving the handlers into static files would let
``'unsafe-inline'`` go; see docs/architecture.md.
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
