"""An account an administrator created (or whose password an administrator set) carries
``must_change_password``: until its owner chooses a new password, every page sends them to the
password change page. Logging out, the password pages themselves, switching language and static
files stay reachable."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

#: Views such a user may still reach.
ALLOWED_VIEWS = {
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "set_language",
    "admin:logout",
}


class MustChangePasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.must_change_password):
            return None
        match = request.resolver_match
        if match and match.view_name in ALLOWED_VIEWS:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        target = reverse("accounts:password_change")
        if getattr(
            request, "htmx", False
        ):  # a partial swap would put the whole page inside a fragment
            response = redirect(target)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
