"""The portal's URLs plus the bench baseline (only under ``config.settings_bench``)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("", include("config.urls")),
]
