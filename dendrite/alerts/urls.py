from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("staff/alerts/", views.alert_list, name="list"),
    path("staff/alerts/<int:pk>/", views.acknowledge, name="acknowledge"),
]
