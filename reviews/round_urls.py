"""URLs of review rounds, included into the ``reviews`` namespace by ``reviews/urls.py``."""

from django.urls import path

from . import round_views as views

urlpatterns = [
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/from-schedule/", views.round_from_schedule, name="round_from_schedule"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/rubric/", views.round_rubric, name="round_rubric"),
    path("rounds/<int:pk>/stages/<int:stage_pk>/", views.round_stage, name="round_stage"),
    path("rounds/<int:pk>/photos/<int:photo_pk>/", views.stage_photo, name="stage_photo"),
    path(
        "rounds/<int:pk>/transition/<str:action>/",
        views.round_transition,
        name="round_transition",
    ),
    path("rounds/<int:pk>/auto-assign/", views.round_auto_assign, name="round_auto_assign"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:pk>/entries/<int:entry_pk>/", views.entry_detail, name="entry_detail"),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/materials/<int:material_pk>/",
        views.entry_material,
        name="entry_material",
    ),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/score-sheet.pdf",
        views.entry_score_sheet,
        name="entry_score_sheet",
    ),
    path("rounds/<int:pk>/entries/<int:entry_pk>/decision/", views.decision, name="decision"),
    path(
        "rounds/<int:pk>/entries/<int:entry_pk>/decision/sign/<str:body>/",
        views.decision_sign,
        name="decision_sign",
    ),
    path(
        "rounds/<int:pk>/corrections/<int:correction_pk>/evidence/",
        views.correction_evidence,
        name="correction_evidence",
    ),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/reopen/", views.assignment_reopen, name="assignment_reopen"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/<int:user_pk>/", views.expert_edit, name="expert_edit"),
    path("my-reviews/", views.my_reviews, name="my_reviews"),
    path("my-reviews/<int:entry_pk>/", views.score_entry, name="score_entry"),
    path("my-reviews/<int:entry_pk>/total/", views.score_total, name="score_total"),
    path("my-reviews/<int:entry_pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path(
        "my-reviews/<int:entry_pk>/materials/<int:material_pk>/",
        views.expert_material,
        name="expert_material",
    ),
]
