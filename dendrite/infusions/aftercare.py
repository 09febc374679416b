"""After-care instructions the patient takes home, in English and Spanish.

What they say comes from clinics' written instructions (CLINICAL.md §3.3 [R69a], §10.7
[C21e]): no driving for 24 hours, someone takes them home, no important decisions, no
alcohol or cannabis for 24 hours; and the crisis line, 988, call or text (§6 [R86a]),
with 911 for immediate danger [R86c].
"""

LANGUAGES = {"en": "English", "es": "Español"}


def language(asked: str | None) -> str:
    """The language asked for, or English."""
    return asked if asked in TEXT else "en"


TEXT = {
    "en": {
        "title": "After your infusion",
        "intro": (
            "Ketamine can leave you drowsy, dizzy or not quite yourself for the rest "
            "of the day. Please follow these instructions for the next 24 hours."
        ),
        "rules": [
            "Do not drive, ride a bicycle or use machinery for 24 hours.",
            "Let the adult who came with you take you home. Do not go home alone.",
            "Do not make important decisions or sign important papers for 24 hours.",
            "Do not drink alcohol or use cannabis today or for the next 24 hours.",
            "Rest, drink water, and eat something light when you feel ready.",
        ],
        "unwell_title": "If you feel unwell",
        "unwell": (
            "If you have a headache that does not go away, feel sick, dizzy or "
            "confused, or anything worries you, call the clinic."
        ),
        "clinic": "Clinic phone",
        "crisis": (
            "If you are thinking about hurting yourself, call or text 988, the "
            "Suicide and Crisis Lifeline, at any hour. If you are in danger now, call"
            " 911."
        ),
        "print": "Print these instructions",
        "download": "Download PDF",
        "for": "For",
        "date": "Date",
        "at": "Clinic",
    },
    "es": {
        "title": "Después de su infusión",
        "intro": (
            "La ketamina puede dejarle somnoliento, mareado o no del todo usted mismo"
            " el resto del día. Siga estas instrucciones durante las próximas 24 "
            "horas."
        ),
        "rules": [
            "No maneje, no ande en bicicleta ni use maquinaria durante 24 horas.",
            "Deje que el adulto que vino con usted le lleve a casa. No se vaya solo.",
            "No tome decisiones importantes ni firme documentos importantes durante 24 horas.",
            "No tome alcohol ni consuma cannabis hoy ni durante las próximas 24 horas.",
            "Descanse, tome agua y coma algo ligero cuando se sienta listo.",
        ],
        "unwell_title": "Si se siente mal",
        "unwell": (
            "Si tiene un dolor de cabeza que no se quita, náuseas, mareo o confusión,"
            " o algo le preocupa, llame a la clínica."
        ),
        "clinic": "Teléfono de la clínica",
        "crisis": (
            "Si piensa en hacerse daño, llame o envíe un mensaje de texto al 988, la "
            "Línea de Prevención del Suicidio y Crisis, a cualquier hora (marque 2 "
            "para español). Si está en peligro ahora, llame al 911."
        ),
        "print": "Imprimir estas instrucciones",
        "download": "Descargar PDF",
        "for": "Para",
        "date": "Fecha",
        "at": "Clínica",
    },
}
