from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("staff/alerts/", views.alert_list, name="list"),
    path("staff/alerts/<int:pk>/", views.detail, name="detail"),
    path("staff/alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("staff/alerts/<int:pk>/attempt/", views.attempt, name="attempt"),
    path("staff/alerts/<int:pk>/close/", views.close, name="close"),
    path("staff/on-call/", views.rota, name="rota"),
    path("staff/on-call/<int:pk>/remove/", views.remove_shift, name="remove_shift"),
]
