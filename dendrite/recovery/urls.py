from django.urls import path

from .views import diary, plans, staff

app_name = "recovery"

urlpatterns = [
    # The patient's diary: /diary/ is private (no-store), see dendrite/middleware.py.
    path("diary/open/<str:token>/", diary.diary_open, name="diary_open"),
    path("diary/", diary.diary, name="diary"),
    path("staff/patients/<int:patient_pk>/recovery/", staff.overview, name="overview"),
    path("staff/patients/<int:patient_pk>/recovery/link/", staff.link_issue, name="link_issue"),
    path(
        "staff/patients/<int:patient_pk>/recovery/link/<int:pk>/revoke/",
        staff.link_revoke,
        name="link_revoke",
    ),
    path("staff/patients/<int:patient_pk>/recovery/day/", staff.day_entry, name="day_entry"),
    path(
        "staff/patients/<int:patient_pk>/recovery/followback/",
        staff.followback,
        name="followback",
    ),
    path("staff/patients/<int:patient_pk>/plans/<str:kind>/", plans.plan_edit, name="plan_edit"),
    path("staff/plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("staff/plans/<int:pk>/pdf/", plans.plan_pdf, name="plan_pdf"),
]
