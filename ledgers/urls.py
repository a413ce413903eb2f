from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("studios/<int:pk>/ledgers/", views.studio_ledgers, name="studio_ledgers"),
    path("studios/<int:pk>/ledgers/export/", views.studio_export, name="studio_export"),
    path(
        "studios/<int:pk>/ledgers/evidence/<int:evidence_pk>/",
        views.evidence,
        name="evidence",
    ),
    path("studios/<int:pk>/ledgers/<slug:ledger>/new/", views.entry_add, name="entry_add"),
    path("studios/<int:pk>/ledgers/<slug:ledger>/import/", views.entry_import, name="entry_import"),
    path(
        "studios/<int:pk>/ledgers/<slug:ledger>/<int:entry_pk>/edit/",
        views.entry_edit,
        name="entry_edit",
    ),
    path(
        "studios/<int:pk>/ledgers/<slug:ledger>/<int:entry_pk>/delete/",
        views.entry_delete,
        name="entry_delete",
    ),
    path("enterprises/<int:pk>/ledgers/export/", views.enterprise_export, name="enterprise_export"),
    path("ledgers/templates/<slug:ledger>.xlsx", views.import_template, name="import_template"),
    path("ledgers/export/", views.district_export, name="district_export"),
    path("ledgers/compliance/", views.compliance_grid, name="compliance_grid"),
    path("ledgers/dashboard/", views.dashboard, name="dashboard"),
]
