from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("staff/leads/", views.inbox, name="inbox"),
    path("staff/leads/<int:pk>/", views.detail, name="detail"),
    path("staff/leads/<int:pk>/status/", views.change_status, name="change_status"),
    path("staff/leads/<int:pk>/contact/", views.log_contact, name="log_contact"),
    path("staff/leads/<int:pk>/assign/", views.assign, name="assign"),
    path("staff/leads/<int:pk>/convert/", views.convert, name="convert"),
    path("staff/leads/<int:pk>/link/", views.link, name="link"),
    path("staff/leads/<int:pk>/unlink/", views.unlink, name="unlink"),
]
