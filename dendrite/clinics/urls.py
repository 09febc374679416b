from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("staff/locations/<int:pk>/", views.location_detail, name="location_detail"),
]
