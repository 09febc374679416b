from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("", views.public_home, name="public_home"),
    path("staff/locations/<int:pk>/", views.location_detail, name="location_detail"),
]
