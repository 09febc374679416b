"""Tasks for test_redis_queue.py, in a module the RQ worker it starts can import."""

from django.tasks import TaskContext, task


class Boom(Exception):
    pass


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def explode(message: str) -> None:
    raise Boom(message)


@task(takes_context=True)
def attempt(context: TaskContext) -> int:
    return context.attempt
