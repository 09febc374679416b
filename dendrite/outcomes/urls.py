from django.urls import path

from .views import answer, booster, plan, tablet

app_name = "outcomes"

Q = "questionnaire/"

urlpatterns = [
    path(Q + "open/<str:token>/", answer.open_link, name="open"),
    path(Q, answer.next_step, name="next"),
    path(Q + "done/", answer.done, name="done"),
    path(Q + "hand-back/", tablet.hand_back, name="hand_back"),
    path(Q + "locked/", tablet.locked, name="locked"),
    path(Q + "<slug:code>/", answer.answer, name="answer"),
    path("staff/appointments/<int:pk>/check-in-tablet/", tablet.start, name="tablet_start"),
    path("staff/patients/<int:pk>/measurement-plan/", plan.plan, name="plan"),
    path("staff/patients/<int:pk>/measurement-plan/<int:change>/undo/", plan.undo, name="undo"),
    path("staff/patients/<int:pk>/booster/", booster.booster, name="booster"),
]
