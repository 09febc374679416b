"""Audit action codes in words, for the people who read the trail.

An action is "<app>.<record>.<verb>" ("scheduling.appointment.status"); it reads
"Appointment: status changed". A few actions have a sentence of their own (ACTIONS); any
other is built from the record's noun and the verb's words, and an unknown code still
reads as words, never as a dotted code.
"""

ACTIONS = {
    "access.denied": "Refused: no access",
    "admin.add": "Back office: added",
    "admin.change": "Back office: changed",
    "admin.delete": "Back office: deleted",
    "auth.login": "Signed in",
    "exit.export.requested": "Export of everything asked for",
    "exit.export": "Export of everything made",
    "exit.export.download": "Export of everything downloaded",
    "exit.import": "Export of everything imported here",
    "auth.logout": "Signed out",
    "auth.idle_logout": "Signed out after being idle",
    "auth.login_failed": "Sign-in failed",
    "auth.locked_out": "Locked out after failed sign-ins",
    "auth.unlocked": "Unlocked",
    "auth.password_reset": "Password reset",
    "auth.password_reset_limited": "Password reset refused: too many tries",
    "mfa.enrolled": "Authenticator set up",
    "mfa.enrol_failed": "Authenticator set-up failed",
    "mfa.verified": "Second step passed",
    "mfa.failed": "Second step failed",
    "mfa.recovery_code_used": "Recovery code used",
    "mfa.recovery_codes_renewed": "Recovery codes renewed",
    "mfa.step_up": "Own code given again",
    "mfa.step_up_failed": "Own code refused",
    "patients.patient.read_clinical": "Chart: clinical sections opened",
    "patients.patient.read_access_history": "Chart: access history opened",
    "patients.patient.override_triage": "Chart: triage overridden",
    "patients.patient.allergies_known": "Chart: allergies recorded",
    "patients.patient.no_known_allergies": "Chart: no known allergies recorded",
    "patients.patient.duplicate_check": "Charts checked for a likely duplicate",
    "patients.patient.create_despite_duplicates": "Chart made despite a likely duplicate",
    "patients.patient.merge": "Chart: another chart merged into it",
    "patients.patient.merged_away": "Chart: merged into another",
    "patients.patient.merge_undone": "Chart: merge undone",
    "leads.lead.link": "Lead: linked to an existing chart",
    "scheduling.appointment.chairside": "Appointment: chairside record opened",
    "scheduling.link.refused": "Patient link refused",
    "controlled.log.export": "Ketamine log: exported",
}
NOUNS = {
    "user": "Staff account",
    "safetyalert": "Safety alert",
    "oncallshift": "On-call shift",
    "escalation": "Safety alert escalation",
    "location": "Location",
    "log": "Ketamine log",
    "movement": "Ketamine log entry",
    "receipt": "Ketamine delivery",
    "vial": "Ketamine vials",
    "count": "Ketamine count",
    "witness": "Witness",
    "order": "Infusion order",
    "infusion": "Infusion",
    "lead": "Lead",
    "history": "Medical history",
    "patient": "Chart",
    "patientmerge": "Chart merge",
    "duplicateoverride": "Chart made despite a likely duplicate",
    "triageoverride": "Triage override",
    "appointment": "Appointment",
    "calendarfeed": "Calendar feed",
    "message": "Message to the patient",
    "patientmessage": "Messages to patients",
    "reminder": "Reminder",
    "series": "Infusion series",
    "waitlistentry": "Waitlist entry",
    "session": "Self-screening",
    "allergy": "Allergy",
    "consent": "Consent",
    "contact": "Contact person",
    "diagnosis": "Diagnosis",
    "document": "Document",
    "medication": "Medication",
    "provider": "Care team member",
    "questionnaireresponse": "Questionnaire",
    "note": "Note",
    "task": "Task",
}
VERBS = {
    "create": "added",
    "add": "added",
    "read": "opened",
    "list": "list opened",
    "change": "changed",
    "update": "changed",
    "delete": "removed",
    "book": "booked",
    "cancel": "cancelled",
    "confirm": "confirmed",
    "confirmed": "confirmed",
    "move": "moved",
    "rebook": "rebooked",
    "status": "status changed",
    "send": "sent",
    "retry": "sent again",
    "offer": "offered",
    "fetch": "fetched",
    "revoke": "revoked",
    "raise": "raised",
    "acknowledge": "acknowledged",
    "attempt": "call-back attempt recorded",
    "close": "closed",
    "escalate": "escalated",
    "assign": "assigned",
    "contact": "contact attempt logged",
    "convert": "converted to a patient",
    "sign": "signed",
    "sign_off": "signed off",
    "export": "exported",
    "download": "downloaded",
    "activate": "switched on",
    "deactivate": "switched off",
    "reset_mfa": "authenticator reset",
    "role_approve": "role approved",
    "role_decline": "role declined",
    "send_password_link": "password link sent",
    "unlock": "unlocked",
    "administered": "administration recorded",
    "lost": "loss recorded",
    "disposed": "disposal recorded",
    "received": "delivery recorded",
    "failed": "failed",
    "finish": "finished",
    "keep": "kept",
    "resume": "resumed",
    "link": "link made",
    "unlink": "link undone",
    "save": "saved",
    "triage": "triaged",
    "start": "started",
    "stop": "stopped",
    "discharge": "discharged",
    "verify": "checked independently",
}


def _words(code: str) -> str:
    return code.replace("_", " ").replace("-", " ").strip()


def action_label(code: str) -> str:
    """'scheduling.appointment.status' → 'Appointment: status changed'."""
    if not code:
        return ""
    if code in ACTIONS:
        return ACTIONS[code]
    parts = code.split(".")
    if len(parts) >= 3:
        noun = NOUNS.get(parts[1]) or _words(parts[1]).capitalize()
        verb = VERBS.get(parts[-1]) or _words(parts[-1])
        return f"{noun}: {verb}"
    return _words(" ".join(parts)).capitalize()


def record_label(object_type: str) -> str:
    """'patients.patient' → 'Chart'; the kind of record an entry is about."""
    if not object_type:
        return ""
    model = object_type.rpartition(".")[2]
    return NOUNS.get(model) or _words(model).capitalize()
