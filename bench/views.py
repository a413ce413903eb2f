from django.http import HttpResponse


def baseline(request):
    """The floor every page is compared with: the whole middleware stack and the session's
    user, and nothing else (a few bytes)."""
    return HttpResponse(f"ok {request.user.pk or '-'}", content_type="text/plain")
