from django.urls import path

from .views import waitlist

urlpatterns = [
    path("staff/schedule/waitlist/", waitlist.waitlist_list, name="waitlist"),
    path("staff/schedule/waitlist/add/", waitlist.waitlist_add, name="waitlist_add"),
    path(
        "staff/schedule/waitlist/<int:pk>/remove/", waitlist.waitlist_remove, name="waitlist_remove"
    ),
    path(
        "staff/schedule/waitlist/<int:pk>/decline/",
        waitlist.waitlist_decline,
        name="waitlist_decline",
    ),
    path("staff/schedule/waitlist/<int:pk>/book/", waitlist.waitlist_book, name="waitlist_book"),
]
