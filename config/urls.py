from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("studios.urls")),
    path("", include("audit.urls")),
    path("", include("reviews.urls")),
    path("", include("ledgers.urls")),
    path("", include("funding.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
