from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("funding/", views.dashboard, name="dashboard"),
    path("funding/export/", views.money_export, name="money_export"),
    path("funding/grants/", views.GrantListView.as_view(), name="grant_list"),
    path("funding/grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path(
        "funding/grants/<int:pk>/payments/new/",
        views.disbursement_create,
        name="disbursement_create",
    ),
    path(
        "funding/payments/<int:pk>/approve/",
        views.disbursement_approve,
        name="disbursement_approve",
    ),
    path(
        "funding/payments/<int:pk>/reject/", views.disbursement_reject, name="disbursement_reject"
    ),
    path(
        "funding/payments/<int:pk>/reverse/",
        views.disbursement_reverse,
        name="disbursement_reverse",
    ),
    path(
        "funding/payments/<int:pk>/attachment/",
        views.disbursement_attachment,
        name="disbursement_attachment",
    ),
    path("funding/studios/<int:pk>/", views.studio_funds, name="studio_funds"),
    path("funding/studios/<int:pk>/statement.pdf", views.statement_pdf, name="statement_pdf"),
    path(
        "funding/studios/<int:pk>/expenditures/new/",
        views.expenditure_create,
        name="expenditure_create",
    ),
    path(
        "funding/expenditures/<int:pk>/reverse/",
        views.expenditure_reverse,
        name="expenditure_reverse",
    ),
    path(
        "funding/expenditures/<int:pk>/approve/",
        views.expenditure_reversal_approve,
        name="expenditure_reversal_approve",
    ),
    path(
        "funding/expenditures/<int:pk>/reject/",
        views.expenditure_reversal_reject,
        name="expenditure_reversal_reject",
    ),
    path(
        "funding/expenditures/<int:pk>/receipt/",
        views.expenditure_receipt,
        name="expenditure_receipt",
    ),
    path(
        "funding/studios/<int:pk>/sanctions/new/", views.violation_create, name="violation_create"
    ),
    path(
        "funding/findings/<int:pk>/evidence/", views.violation_evidence, name="violation_evidence"
    ),
    path("funding/sanctions/", views.SanctionListView.as_view(), name="sanction_list"),
    path("funding/sanctions/<int:pk>/lift/", views.suspension_lift, name="suspension_lift"),
    path(
        "funding/sanctions/<int:pk>/repayments/new/",
        views.repayment_create,
        name="repayment_create",
    ),
    path("funding/repayments/<int:pk>/receipt/", views.repayment_receipt, name="repayment_receipt"),
]
