"""The self-screening's screens, one module per screen (STYLE.md)."""

from .consultation import consultation
from .links import resume, save
from .result import adults_only, result
from .start import restart, start
from .steps import contact, step

__all__ = [
    "adults_only",
    "consultation",
    "contact",
    "restart",
    "result",
    "resume",
    "save",
    "start",
    "step",
]
