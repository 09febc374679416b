"""My tasks, and one task's page: take it, close it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required

from . import access, actions
from .forms import CloseForm

SHOWN = 200


@staff_required()
def my_tasks(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("show") == "all"
    tasks = access.location_tasks(request.user) if everyone else access.my_tasks(request.user)
    return render(
        request, "worklist/my_tasks.html", {"tasks": list(tasks[:SHOWN]), "everyone": everyone}
    )


@staff_required()
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for(request.user, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and task.status == task.Status.OPEN and form.is_valid():
        try:
            actions.close_task(
                task,
                by=request.user,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except actions.TaskClosed:
            messages.info(request, "Someone else closed this task a moment ago.")
        else:
            messages.success(request, "Task closed.")
        return redirect("worklist:my_tasks")
    status = 400 if request.method == "POST" else 200
    return render(request, "worklist/task.html", {"task": task, "form": form}, status=status)


@staff_required()
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_for(request.user, pk)
    try:
        actions.take_task(task, by=request.user)
    except actions.TaskClosed:
        messages.info(request, "This task was closed a moment ago.")
    else:
        messages.success(request, "The task is yours now.")
    return redirect("worklist:task", pk)
