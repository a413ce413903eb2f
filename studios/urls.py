from django.urls import path

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
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/mine/", views.my_enterprise, name="my_enterprise"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
