"""Bench-only middleware (installed by ``config.settings_bench``, never in production)."""

from django.db import connection


class QueryCountMiddleware:
    """Adds ``X-Query-Count``: how many SQL statements this request ran, so the benchmark can
    show that a page's queries do not grow with the data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
