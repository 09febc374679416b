"""What every page's template may use: the site's name, and on staff pages the figures
the header and the banners show (waiting messages, overdue leads, open safety and
chairside alerts, a stopped task worker).

Each app adds its own figures (`add_figure`, from its apps.py), so this module knows
none of them. The first time a page's template asks for one, every figure for the user
is read in one query (the user's row with one subquery per figure) and kept on the
request: one query for the whole header, however many figures there are, and none for
a page that never shows it (a redirect, JSON, a PDF).

That query is built by the ORM once per role and process, not once per request (the
building, not the database, was most of a staff page's header cost): a figure is
written for a `Staff` whose user id and clock are placeholders, and each request puts
its own in their places. Only the SQL is kept; every value is read live on every page,
alerts included. A figure may therefore depend on the role alone, besides the user's
locations and the time it is given (`Staff`); `_compile` refuses one whose SQL would
carry anything else of the request.
"""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Func, IntegerField, JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.http import HttpRequest
from django.utils import timezone


@dataclass(frozen=True)
class Staff:
    """Who a figure is read for. Use `locations` and `now` as they are: the query is
    compiled with placeholders for them."""

    role: str
    locations: QuerySet[Any]  # the ids of the user's locations, as a subquery
    now: dt.datetime


def _as_read(user: Any, value: Any) -> object:
    return value


@dataclass(frozen=True)
class Figure:
    """One value the staff header or a banner shows.

    `read(staff)` gives the value as a subquery (`count(...)`, or one column of one
    row), or None when the role is not shown it. `show(user, value)` turns what was read
    into what the template gets; it may query again (the list of open alerts) but
    should only when there is something to show.
    """

    name: str  # the template's variable
    read: Callable[[Staff], Subquery | None]
    show: Callable[[Any, Any], object] = _as_read


FIGURES: dict[str, Figure] = {}


def add_figure(figure: Figure) -> None:
    FIGURES[figure.name] = figure
    _compiled.clear()


def count(queryset: QuerySet[Any]) -> Subquery:
    """How many rows `queryset` has, as a subquery (COUNT without a GROUP BY)."""
    counted = queryset.order_by().values(n=Func("pk", function="COUNT"))
    return Subquery(counted, output_field=IntegerField())


class _JSONList(Func):
    """Its argument over every row, as one JSON list. A Func, not an Aggregate, so that
    the ORM adds no GROUP BY: one value for the whole subquery, as COUNT above."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def rows(queryset: QuerySet[Any], **fields: Any) -> Subquery:
    """Some columns of `queryset`'s rows as one value: a list of dicts, read as JSON
    (dates and times come as text; the order is not kept). Keep the rows few."""
    listed = queryset.order_by().values(rows=_JSONList(JSONObject(**fields)))
    return Subquery(listed, output_field=JSONField())


def first_rows(queryset: QuerySet[Any], limit: int, **fields: Any) -> Subquery:
    """The first `limit` rows of `queryset`, in its order, as `rows` gives them (the
    order is not kept: sort in the figure's `show`). A banner's list, kept short."""
    first = queryset.values("pk")[:limit]
    return rows(queryset.model.objects.filter(pk__in=first), **fields)


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.DENDRITE_SITE_NAME,
        "idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS,
    }


def staff_figures(request: HttpRequest) -> dict[str, object]:
    """Every figure, as a callable the template calls only if it shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    return {name: functools.partial(_shown, request, name) for name in FIGURES}


def _shown(request: HttpRequest, name: str) -> object:
    shown: dict[str, object] = request.__dict__.setdefault("_staff_figures_shown", {})
    if name not in shown:
        read = _read(request)
        shown[name] = FIGURES[name].show(request.user, read[name]) if name in read else None
    return shown[name]


def _read(request: HttpRequest) -> dict[str, Any]:
    """The figures for the request's user, in one query, once per request."""
    cached: dict[str, Any] | None = request.__dict__.get("_staff_figures")
    if cached is None:
        cached = request._staff_figures = _query(request.user)  # type: ignore[attr-defined]
    return cached


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    user_at: tuple[int, ...]  # where the user's id goes among the params
    now_at: tuple[int, ...]  # where the time goes
    read: tuple[tuple[str, Any], ...]  # each figure's name and expression, in order


_compiled: dict[tuple[str, str], _Compiled | None] = {}
# Placeholders: no user has these ids, nothing happens at these times.
_USERS = (-7_000_000_001, -7_000_000_002)
_TIMES = (
    dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
    dt.datetime(1902, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC),
)


def _query(user: Any) -> dict[str, Any]:
    key = (connection.vendor, user.role)
    if key not in _compiled:
        _compiled[key] = _compile(user.role)
    compiled = _compiled[key]
    if compiled is None:  # no figure for this role
        return {}
    params = list(compiled.params)
    for at in compiled.user_at:
        params[at] = user.pk
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for at in compiled.now_at:
        params[at] = now
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        row = cursor.fetchone()
    if row is None:  # the user was deleted meanwhile
        return {}
    values = {}
    for (name, expression), value in zip(compiled.read, row, strict=True):
        converters = connection.ops.get_db_converters(expression)
        for convert in converters + expression.get_db_converters(connection):
            value = convert(value, expression, connection)
        values[name] = value
    return values


def _compile(role: str) -> _Compiled | None:
    """The figures' query for `role`, compiled twice with different placeholders: the
    parameters that differ must be exactly the placeholders, and the SQL the same."""
    (sql, params, read), (other_sql, other_params, _) = (
        _build(role, user, now) for user, now in zip(_USERS, _TIMES, strict=True)
    )
    if not read:
        return None
    adapt = connection.ops.adapt_datetimefield_value
    user_at = tuple(i for i, param in enumerate(params) if param == _USERS[0])
    now_at = tuple(i for i, param in enumerate(params) if param == adapt(_TIMES[0]))
    differ = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
    if sql != other_sql or differ != {*user_at, *now_at} or not user_at:
        raise ValueError(
            "A staff figure's query depends on more than the role, the user's locations "
            "and the time as given (dendrite/context_processors.py)."
        )
    return _Compiled(sql, tuple(params), user_at, now_at, read)


def _build(
    role: str, user_id: int, now: dt.datetime
) -> tuple[str, list[Any], tuple[tuple[str, Any], ...]]:
    users = get_user_model()
    memberships = users.locations.through.objects
    staff = Staff(role, memberships.filter(user_id=user_id).values("location_id"), now)
    reads = {name: figure.read(staff) for name, figure in FIGURES.items()}
    subqueries = {name: read for name, read in reads.items() if read is not None}
    if not subqueries:
        return "", [], ()
    query = users.objects.filter(pk=user_id).order_by().values(**subqueries).query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    read = tuple((alias, expression) for expression, _, alias in compiler.select)
    return sql, list(params), read
