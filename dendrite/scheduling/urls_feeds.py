from django.urls import path, re_path

from .views import feeds

urlpatterns = [
    # The token is what new_feed_token() makes: URL-safe base64, 43 characters.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", feeds.feed, name="feed"),
    path("staff/calendar-feeds/", feeds.feed_list, name="feed_list"),
    path("staff/calendar-feeds/new/", feeds.feed_create, name="feed_create"),
    path("staff/calendar-feeds/<int:pk>/revoke/", feeds.feed_revoke, name="feed_revoke"),
]
