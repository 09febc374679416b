from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("staff/tasks/", views.my_tasks, name="my_tasks"),
    path("staff/tasks/<int:pk>/", views.task_detail, name="task"),
    path("staff/tasks/<int:pk>/take/", views.take, name="take"),
]
