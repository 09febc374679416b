"""The clinical status of outcomes.status in words, in the reader's language: the pure
module gives codes and numbers, this wording is translated (the chart's outcomes, the
trend picture's description on the staff chart and in the portal)."""

from django.utils.translation import gettext as _

from . import status as st


def part_words(part: st.Part) -> str:
    percent = {"percent": part.percent}
    if part.code == st.REMISSION:
        return _("Remission")
    if part.code == st.NO_CHANGE_YET:
        return _("No change to measure yet")
    if part.code == st.NO_SCORES:
        return _("No scores yet")
    if part.code == st.RESPONSE:
        return _("Response: %(percent)d %% below baseline") % percent
    if part.code == st.NOT_YET_ZERO_BASELINE:
        return _("Not yet a response: the baseline was 0")
    if part.code == st.NOT_YET_BELOW:
        return _("Not yet a response: %(percent)d %% below baseline") % percent
    if part.code == st.NOT_YET_ABOVE:
        return _("Not yet a response: %(percent)d %% above baseline") % percent
    if part.code == st.NOT_YET_UNCHANGED:
        return _("Not yet a response: no change from baseline")
    raise ValueError(part.code)


def status_words(result: st.Status) -> str:
    """ "Remission · Response: 57 % below baseline"."""
    return " · ".join(part_words(part) for part in result.summary)


def baseline_missing(result: st.Status) -> str:
    """Why there is no baseline, in words ("" when there is one)."""
    if result.baseline_missing == st.NO_INFUSION:
        return _("No baseline: no infusion yet.")
    if result.baseline_missing == st.NO_SCORE_BEFORE:
        return _("No baseline: no score before the first infusion.")
    return ""
