from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("screening/", views.start, name="start"),
    path("screening/restart/", views.restart, name="restart"),
    path("screening/step/contact/", views.contact, name="contact"),
    path("screening/step/<slug:slug>/", views.step, name="step"),
    path("screening/save/", views.save, name="save"),
    path("screening/resume/<str:token>/", views.resume, name="resume"),
    path("screening/result/", views.result, name="result"),
    path("screening/result/consultation/", views.consultation, name="consultation"),
    path("screening/adults-only/", views.adults_only, name="adults_only"),
]
