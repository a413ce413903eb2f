from django.urls import path

from . import lifecycle_views as lv
from . import views

app_name = "studios"

urlpatterns = [
    path("studios/", views.StudioListView.as_view(), name="studio_list"),
    path("studios/new/", views.studio_create, name="studio_create"),
    path("studios/<int:pk>/", views.studio_detail, name="studio_detail"),
    path("studios/<int:pk>/edit/", views.studio_edit, name="studio_edit"),
    path("studios/<int:pk>/documents/<str:field>/", views.studio_document, name="studio_document"),
    path("studios/<int:pk>/leader/", views.leader_edit, name="leader_edit"),
    path("studios/<int:pk>/honours/new/", views.honour_add, name="honour_add"),
    path(
        "studios/<int:pk>/honours/<int:honour_pk>/remove/",
        views.honour_remove,
        name="honour_remove",
    ),
    path(
        "studios/<int:pk>/honours/<int:honour_pk>/evidence/",
        views.honour_evidence,
        name="honour_evidence",
    ),
    path("studios/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("studios/<int:pk>/members/<int:member_pk>/", views.member_edit, name="member_edit"),
    # The lifecycle (R16, R17, R23–R25, R30, R32)
    path("studios/<int:pk>/lifecycle/", lv.lifecycle_action, name="lifecycle_action"),
    path("studios/<int:pk>/municipal/", lv.municipal_recommend, name="municipal_recommend"),
    path("studios/<int:pk>/rename/", lv.rename_request_create, name="rename_request"),
    path(
        "studios/<int:pk>/certificates/<int:certificate_pk>/pdf/",
        lv.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "studios/<int:pk>/certificates/regenerate/",
        lv.certificate_regenerate,
        name="certificate_regenerate",
    ),
    path("lifecycle/", lv.ScheduleView.as_view(), name="schedules"),
    path(
        "lifecycle/decisions/<int:pk>/sign/",
        lv.lifecycle_decision_sign,
        name="lifecycle_decision_sign",
    ),
    path(
        "lifecycle/decisions/<int:pk>/withdraw/",
        lv.lifecycle_decision_withdraw,
        name="lifecycle_decision_withdraw",
    ),
    path("lifecycle/renames/", lv.rename_list, name="rename_list"),
    path("lifecycle/renames/<int:pk>/", lv.rename_decide, name="rename_decide"),
    path("lifecycle/certificates/", lv.certificate_batches, name="certificate_batches"),
    path(
        "lifecycle/certificates/batches/<int:pk>/",
        lv.certificate_batch,
        name="certificate_batch",
    ),
    path(
        "lifecycle/certificates/batches/<int:pk>/progress/",
        lv.certificate_batch_progress,
        name="certificate_batch_progress",
    ),
    path(
        "lifecycle/certificates/batches/<int:pk>/resume/",
        lv.certificate_batch_resume,
        name="certificate_batch_resume",
    ),
    path("directory/", lv.directory, name="directory"),
    path("verify/<str:code>/", lv.verify_certificate, name="verify_certificate"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/mine/", views.my_enterprise, name="my_enterprise"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
