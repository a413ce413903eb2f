from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("calls/<int:pk>/instructions/", views.call_instructions, name="call_instructions"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/steps/<str:step>/",
        views.application_step,
        name="application_step",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/check/", views.application_check, name="application_check"),
    path("applications/<int:pk>/receipt/", views.application_receipt, name="application_receipt"),
    path(
        "applications/<int:pk>/receipt.pdf",
        views.application_receipt_pdf,
        name="application_receipt_pdf",
    ),
    path(
        "applications/<int:pk>/dossier.zip", views.application_dossier, name="application_dossier"
    ),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/",
        views.material_download,
        name="material_download",
    ),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/thumbnail/",
        views.material_thumbnail,
        name="material_thumbnail",
    ),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/remove/",
        views.material_remove,
        name="material_remove",
    ),
]

from .round_urls import urlpatterns as round_urlpatterns  # noqa: E402  (issue #4)

urlpatterns += round_urlpatterns
