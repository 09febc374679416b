"""The screening's own questions (not questionnaires): age, sex, health and treatment history.

Plain data, no Django. The ids are what the triage rules file refers to
(``{"kind": "answer", "step": "health", "question": "blood_pressure"}``).
The wording is marked for the translation catalogue; the forms translate it where shown.
"""


def gettext_noop(text: str) -> str:
    """Marks text for ``makemessages`` without importing Django; it is translated where shown."""
    return text


# Age bands. Under 18 ends the screening at once: the clinic treats adults.
UNDER_18 = "under-18"
AGE_BANDS = (
    (UNDER_18, gettext_noop("Under 18")),
    ("18-24", gettext_noop("18 to 24")),
    ("25-34", gettext_noop("25 to 34")),
    ("35-44", gettext_noop("35 to 44")),
    ("45-54", gettext_noop("45 to 54")),
    ("55-64", gettext_noop("55 to 64")),
    ("65+", gettext_noop("65 or older")),
)

# Female/male only because the AUDIT-C cut-off differs: >=3 women, >=4 men
# - CLINICAL.md §1.5 [R25][R28]
SEXES = (("female", gettext_noop("Female")), ("male", gettext_noop("Male")))

YES, NO, NOT_SURE = "yes", "no", "not-sure"
YES_NO_NOT_SURE = (
    (YES, gettext_noop("Yes")),
    (NO, gettext_noop("No")),
    (NOT_SURE, gettext_noop("Not sure")),
)
YES_NO = ((YES, gettext_noop("Yes")), (NO, gettext_noop("No")))

# Contraindications and cautions - CLINICAL.md §3.2 [R66][R70d][R71][R99]; which ones rule
# ketamine out (absolute), which need review (relative) and which send the person to another
# level of care first is in the triage rules file, with each rule's source. Every question is
# worded so that "yes" is the answer of concern: "no" everywhere is a clear health history.
HEALTH_QUESTIONS = (
    (
        "blood_pressure",
        gettext_noop("Do you have high blood pressure that is severe or not under control?"),
    ),
    (
        "heart_vascular",
        gettext_noop(
            "Do you have heart disease, an aneurysm (a bulging blood vessel) or another disease"
            " of the blood vessels, or have you had bleeding in the brain?"
        ),
    ),
    (
        "raised_pressure",
        gettext_noop(
            "Have you been told you have raised pressure inside your head, or inside your eyes"
            " (such as glaucoma)?"
        ),
    ),
    ("seizures", gettext_noop("Have you had seizures (fits) recently?")),
    (
        "psychosis_mania",
        gettext_noop(
            "Have you ever had psychosis (losing touch with reality, such as hearing voices"
            " others do not hear) or mania?"
        ),
    ),
    (
        "pregnancy",
        gettext_noop(
            "Are you pregnant, trying to become pregnant (including IVF) or breastfeeding?"
        ),
    ),
    (
        "ketamine_misuse",
        gettext_noop("Have you ever misused ketamine or PCP, for example used it to get high?"),
    ),
    (
        "ketamine_allergy",
        gettext_noop(
            "Have you ever had an allergic reaction to ketamine or esketamine (Spravato)?"
        ),
    ),
    (
        # Non-allergic reactions: no CLINICAL.md source; clinic-configurable in the rules file.
        "ketamine_reaction",
        gettext_noop(
            "Apart from an allergy, have you ever had a serious bad reaction to ketamine or"
            " esketamine (Spravato)?"
        ),
    ),
    ("liver", gettext_noop("Do you have severe liver disease, such as cirrhosis?")),
    (
        # No CLINICAL.md source; clinic-configurable in the rules file.
        "hyperthyroidism",
        gettext_noop(
            "Do you have an overactive thyroid (hyperthyroidism) that is not under control?"
        ),
    ),
    (
        # Past complicated withdrawal (seizures, delirium) decides the level of care
        # - CLINICAL.md §4 [R77a][R77b][R76c]
        "alcohol_withdrawal",
        gettext_noop(
            "Have you ever had bad withdrawal after stopping or cutting down alcohol: a seizure"
            " (fit), the DTs (delirium tremens: severe confusion, seeing or hearing things), or"
            " shaking so bad that you needed medicine for it?"
        ),
    ),
    (
        # Inability to abstain from alcohol for 24 hours - CLINICAL.md §3.2 [R66]. Asked so
        # that "yes" is the answer of concern, like every other health question.
        "alcohol_24_hours",
        gettext_noop(
            "Would you be unable to go without alcohol for the 24 hours before each treatment?"
        ),
    ),
)

# A trial counts when the medicine was taken at a full dose for 4 to 6 weeks or more
# - CLINICAL.md §2, treatment-resistant depression [R74b]
ANTIDEPRESSANT_TRIALS = (
    (0, gettext_noop("None")),
    (1, "1"),
    (2, "2"),
    (3, gettext_noop("3 or more")),
)

# Medicines of note: benzodiazepines and opioids [R99], stimulants and MAOIs [R70f]
# - CLINICAL.md §3.2, §3.5; lamotrigine is clinic-configurable (no source in CLINICAL.md).
MEDICATIONS = (
    (
        "benzodiazepines",
        gettext_noop(
            "A benzodiazepine, such as alprazolam (Xanax), lorazepam (Ativan)"
            " or clonazepam (Klonopin)"
        ),
    ),
    (
        "opioids",
        gettext_noop("An opioid, such as oxycodone, hydrocodone, methadone or buprenorphine"),
    ),
    ("stimulants", gettext_noop("A stimulant, such as Adderall, Ritalin or Vyvanse")),
    (
        "maois",
        gettext_noop(
            "An MAOI antidepressant, such as phenelzine (Nardil) or tranylcypromine (Parnate)"
        ),
    ),
    ("lamotrigine", gettext_noop("Lamotrigine (Lamictal)")),
)

# The credit shown under each questionnaire; the full terms are in each definition's
# copyright field (DAST-10 asks for credit to Dr. Skinner - CLINICAL.md §1.6 [R33][R34]).
_PFIZER = "© Pfizer Inc. Developed by Drs. Spitzer, Williams, Kroenke and colleagues."
_WHO = "AUDIT © World Health Organization, 2001 (Babor et al., AUDIT, 2nd ed.)."
ATTRIBUTIONS = {
    "phq-9": f"PHQ-9 {_PFIZER}",
    "gad-7": f"GAD-7 {_PFIZER}",
    "audit-c": _WHO,
    "audit": _WHO,
    "dast-10": "DAST-10 © 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and Mental"
    " Health, Toronto. Used with credit to Dr. Skinner.",
    "c-ssrs-screener": "C-SSRS Screener © The Research Foundation for Mental Hygiene, Inc.;"
    " distributed by the Columbia Lighthouse Project.",
}
