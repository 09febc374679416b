"""Imports point down the layers, and no module comes back to itself round a cycle.

The layers are described in docs/development.md ("Layers"); LAYERS below is the same
list, and the one this test holds the code to. Every import counts, also one inside a
function: tucking an import into a function is how a cycle hides. A string naming a
module to load (`include("dendrite.x.urls")`, `import_module`, `import_string`) counts
too. A model named by string (`ForeignKey("patients.Patient")`,
`apps.get_model("leads", "Lead")`) does not: Django resolves it once every app is loaded.

Templates follow the same order: an app's templates include, extend and `{% load %}`
only from their own app, lower apps and the project's templates (dendrite/templates,
the ground). URL names (`{% url "leads:detail" %}`) are not imports.
"""

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the dendrite package

# Lowest first. A module imports from its own unit and from units on lower lines, never
# from a unit on its own line or above. A unit is an app (a folder of dendrite/) or a
# project-level module (dendrite/<name>.py); "templates" is dendrite/templates.
LAYERS: list[tuple[str, ...]] = [
    # The ground: the queue, rate limits, text messages, the Redis bridge, the project's
    # middleware, context processor, error views and base templates.
    (
        "queue",
        "ratelimit",
        "sms",
        "tasks_redis",
        "middleware",
        "context_processors",
        "views",
        "templates",
        "pdf",
        "logs",
        "dates",
        "formats",
        "dbguard",
        "links",
    ),
    ("form_defences",),  # what public forms share against robots (uses ratelimit)
    ("outbox",),  # with mail.py, its front door (UNIT_OF)
    ("audit", "clinics", "instruments"),
    ("accounts",),
    ("alerts",),
    ("ops",),  # the scheduler, health answers, backups
    ("patients",),
    ("worklist",),  # staff tasks: who does what for which patient, by when
    ("leads",),
    ("scheduling",),
    ("notes",),  # signed clinical notes with addenda, from clinic templates
    ("controlled",),  # the ketamine log: knows patients and appointments
    ("infusions",),  # draws from the ketamine log
    ("outcomes",),  # measurement before every visit, trends, response and remission
    ("recovery",),  # drinking diary, Timeline Followback, safety and relapse plans
    ("fhir",),  # the FHIR R4 API and SMART backend clients; a portal will use its export
    ("portal",),  # the patient's own door: sign-in, appointments, questionnaires, progress
    ("screening", "website"),
    ("dashboard",),  # the clinic's figures: reads leads to recovery
    ("demo",),
]
# Project-level modules that belong to an app's unit.
UNIT_OF = {"mail": "outbox"}
# The wiring: settings, the URL map, the back office, the app configs, the entry points
# and every test. They may import anything; nothing imports them.
WIRING = frozenset(
    {"__init__", "settings", "settings_testing", "urls", "admin", "apps", "wsgi", "asgi",
     "conftest"}
)  # fmt: skip
RANK = {unit: level for level, units in enumerate(LAYERS) for unit in units}
TOP = len(LAYERS)
STRING_IMPORTS = frozenset({"include", "import_module", "import_string"})


@dataclass(frozen=True)
class Module:
    name: str  # dendrite.scheduling.actions
    path: str  # scheduling/actions.py, relative to the dendrite package
    source: str

    @property
    def package(self) -> str:
        """The package that a relative import starts from."""
        return self.name if self.path.endswith("__init__.py") else self.name.rpartition(".")[0]


def unit_of(path: str) -> str | None:
    """The unit a file belongs to, or None for the wiring (which may import anything)."""
    parts = Path(path).parts
    if "tests" in parts or parts[-1] == "conftest.py":
        return None
    if len(parts) == 1:
        stem = Path(path).stem
        return None if stem in WIRING else UNIT_OF.get(stem, stem)
    return parts[0]


def rank(unit: str | None) -> int:
    return TOP if unit is None else RANK.get(unit, TOP)


def load(root: Path = ROOT) -> list[Module]:
    found = []
    for file in sorted(root.rglob("*.py")):
        path = file.relative_to(root).as_posix()
        dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        name = "dendrite" if dotted == "__init__" else f"dendrite.{dotted}"
        found.append(Module(name, path, file.read_text()))
    return found


def _known(name: str, known: set[str]) -> str | None:
    """The longest prefix of `name` that is one of our modules."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(module: Module, known: set[str]) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import of one of our modules, wherever it sits."""
    for node in ast.walk(ast.parse(module.source, module.path)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.package.split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            # `from package import module` imports the module; otherwise the package.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        elif isinstance(node, ast.Call) and node.args:
            func, first = node.func, node.args[0]
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if (
                called in STRING_IMPORTS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                names = [first.value.partition(":")[0]]
        for name in names:
            target = _known(name, known)
            if target is not None and target != module.name:
                yield target, node.lineno


def upward_imports(modules: Iterable[Module]) -> list[str]:
    """Imports of a unit on the same line or above the importer's."""
    modules = list(modules)
    unit_by_name = {module.name: unit_of(module.path) for module in modules}
    known = set(unit_by_name)
    problems = []
    for module in modules:
        unit = unit_of(module.path)
        if unit is None:
            continue
        for target, line in sorted(set(imports(module, known)), key=lambda found: found[1]):
            other = unit_by_name[target]
            if other != unit and rank(other) >= rank(unit):
                problems.append(
                    f"{module.path}:{line} imports {target}: {other or 'the wiring'} is not "
                    f"below {unit}"
                )
    return problems


def cycles(modules: Iterable[Module]) -> list[list[str]]:
    """Groups of modules that import one another, directly or round a loop (Tarjan)."""
    modules = list(modules)
    known = {module.name for module in modules}
    graph = {module.name: sorted({t for t, _ in imports(module, known)}) for module in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in graph[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in graph:
        if name not in index:
            visit(name)
    return found


TEMPLATE_TAG = re.compile(r"{%-?\s*(include|extends|load)\s+(.+?)\s*-?%}")


def template_problems(root: Path = ROOT) -> list[str]:
    """Includes, extends and tag libraries of a unit on the same line or above."""
    libraries = {
        file.stem: file.relative_to(root).parts[0] for file in root.glob("*/templatetags/*.py")
    }
    apps = {file.parent.name for file in root.glob("*/templates")}
    problems = []
    for file in sorted(root.glob("**/templates/**/*")):
        if not file.is_file() or file.suffix not in {".html", ".txt"}:
            continue
        path = file.relative_to(root).as_posix()
        unit = "templates" if path.startswith("templates/") else path.split("/")[0]
        for line, text in enumerate(file.read_text().splitlines(), start=1):
            for tag, argument in TEMPLATE_TAG.findall(text):
                if tag == "load":
                    others = [libraries.get(name) for name in argument.split()]
                else:
                    quoted = re.match(r"""["']([^"']+)["']""", argument)
                    if quoted is None:
                        continue  # a variable: nothing to check here
                    folder, slash, _ = quoted.group(1).partition("/")
                    others = [folder if slash and folder in apps else None]
                    if not slash:
                        others = ["templates"]  # dendrite/templates/<name>
                for other in others:
                    if other is not None and other != unit and rank(other) >= rank(unit):
                        problems.append(
                            f"{path}:{line} {tag}s {argument}: {other} is not below {unit}"
                        )
    return problems


# The tree as it is.


def test_every_app_and_project_module_has_its_place_in_the_layers():
    units = {unit_of(module.path) for module in load()} - {None}
    assert sorted(units - set(RANK)) == [], "add it to LAYERS here and in docs/development.md"


def test_no_module_imports_from_its_own_layer_or_above():
    assert upward_imports(load()) == []


def test_no_modules_import_each_other_round_a_cycle():
    assert cycles(load()) == []


def test_templates_include_and_load_only_from_lower_layers():
    assert template_problems() == []


# The check itself, on made-up modules.


def fake(path: str, source: str) -> Module:
    dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return Module(f"dendrite.{dotted}", path, source)


def test_an_import_of_a_higher_app_is_found_even_inside_a_function():
    modules = [
        fake("patients/models.py", ""),
        fake("leads/models.py", ""),
        fake(
            "patients/actions.py",
            "def convert():\n    from dendrite.leads.models import Lead\n    return Lead\n",
        ),
    ]
    assert upward_imports(modules) == [
        "patients/actions.py:2 imports dendrite.leads.models: leads is not below patients"
    ]


def test_an_import_within_one_layer_is_found():
    modules = [
        fake("website/forms.py", ""),
        fake("screening/views.py", "from ..website import forms\n"),
    ]
    assert upward_imports(modules) == [
        "screening/views.py:1 imports dendrite.website.forms: website is not below screening"
    ]


def test_a_cycle_kept_apart_by_an_import_inside_a_function_is_found():
    modules = [
        fake("scheduling/__init__.py", ""),
        fake("scheduling/actions.py", "from . import waitlist\n"),
        fake("scheduling/waitlist.py", "def book():\n    from . import actions\n"),
        fake("scheduling/views.py", "from . import actions, waitlist\n"),
    ]
    assert cycles(modules) == [["dendrite.scheduling.actions", "dendrite.scheduling.waitlist"]]


def test_a_model_named_by_string_a_lower_import_and_the_wiring_are_allowed():
    modules = [
        fake("patients/models.py", ""),
        fake("leads/models.py", ""),
        fake("alerts/models.py", 'from django.apps import apps\napps.get_model("leads", "Lead")\n'),
        fake("leads/actions.py", "from dendrite.patients.models import Patient\n"),
        fake("urls.py", 'from django.urls import include\nx = include("dendrite.leads.models")\n'),
        fake("leads/tests/test_x.py", "from dendrite import urls\n"),
    ]
    assert upward_imports(modules) == []
    assert cycles(modules) == []


def test_a_string_import_of_a_higher_module_is_found():
    modules = [
        fake("leads/urls.py", ""),
        fake("clinics/urls.py", 'include("dendrite.leads.urls")\n'),
    ]
    assert upward_imports(modules) == [
        "clinics/urls.py:1 imports dendrite.leads.urls: leads is not below clinics"
    ]
