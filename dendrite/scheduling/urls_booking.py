"""The staff's schedule: the day view, booking, series, and each appointment's page."""

from django.urls import path

from .views import appointment, booking, day, move, rebook, series

A = "staff/schedule/appointments/<int:pk>/"
P = "staff/schedule/patients/<int:patient_id>/"

urlpatterns = [
    path("staff/schedule/", day.today, name="today"),
    path("staff/schedule/<int:location_id>/<str:day>/", day.day_view, name="day"),
    path(A, appointment.appointment_detail, name="appointment"),
    path(A + "status/", appointment.change_status, name="change_status"),
    path(A + "cancel/", appointment.cancel, name="cancel"),
    path(A + "rebook/", rebook.rebook, name="rebook"),
    path(A + "move/", move.move, name="move"),
    path(P + "book/", booking.book, name="book"),
    path(P + "series/", series.series, name="series"),
    path(P + "series/book/", series.series_book, name="series_book"),
]
