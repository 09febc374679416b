from django.urls import path

from .views import waitlist

urlpatterns = [
    path("schedule/waitlist/", waitlist.waitlist_list, name="waitlist"),
    path("schedule/waitlist/add/", waitlist.waitlist_add, name="waitlist_add"),
    path("schedule/waitlist/<int:pk>/remove/", waitlist.waitlist_remove, name="waitlist_remove"),
    path("schedule/waitlist/<int:pk>/decline/", waitlist.waitlist_decline, name="waitlist_decline"),
    path("schedule/waitlist/<int:pk>/book/", waitlist.waitlist_book, name="waitlist_book"),
]
