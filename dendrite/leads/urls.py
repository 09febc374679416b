from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("staff/leads/", views.inbox, name="inbox"),
    path("staff/leads/<int:pk>/", views.detail, name="detail"),
]
