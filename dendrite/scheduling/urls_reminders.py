from django.urls import path

from .views import public, sending

# Patients' signed links (no sign-in) and the staff page of reminders needing a person.
urlpatterns = [
    path("appointment/confirm/<str:token>/", public.confirm, name="public_confirm"),
    path("appointment/cancel/<str:token>/", public.cancel, name="public_cancel"),
    path("staff/schedule/reminders/", sending.sending, name="sending"),
    path("staff/schedule/reminders/<int:pk>/try-again/", sending.try_again, name="sending_retry"),
]
