"""The starter record templates a team admin can copy: visit note, support ticket, incident report.

A field is a dict: name (a slug, the key in exports), label, type, required, hint, and for a
choice its options, for a number its unit. The filler finds a field where the speaker says its
label or one of the phrases in its hint (separated by commas), so hints name what people say.
"""

TYPES = ("text", "number", "date", "choice", "yesno", "list")


def _f(name, label, type_, hint="", required=False, options=(), unit=""):
    return {
        "name": name,
        "label": label,
        "type": type_,
        "required": required,
        "hint": hint,
        "options": list(options),
        "unit": unit,
    }


STARTERS: dict[str, dict] = {
    "visit-note": {
        "name": "Visit note",
        "fields": [
            _f("visit_date", "Visit date", "date", "visit, date of the visit", required=True),
            _f(
                "complaint",
                "Reason for visit",
                "text",
                "complaint, came in with, presents with, presenting with",
                required=True,
            ),
            _f("temperature", "Temperature", "number", "body temperature", unit="°C"),
            _f("weight", "Weight", "number", "weighs", unit="kg"),
            _f("smoker", "Smoker", "yesno", "smokes, smoking, smoked"),
            _f("allergies", "Allergies", "list", "allergic to, allergy"),
            _f("medication", "Medication", "list", "prescribed, medicines"),
            _f("outcome", "Outcome", "choice", "", options=("sent home", "referred", "admitted")),
            _f("follow_up", "Follow-up", "date", "review, next appointment, see again"),
        ],
    },
    "support-ticket": {
        "name": "Support ticket",
        "fields": [
            _f("reported_on", "Reported on", "date", "reported", required=True),
            _f("summary", "Problem", "text", "issue, summary", required=True),
            _f(
                "category",
                "Category",
                "choice",
                "",
                options=("hardware", "software", "network", "account", "printer"),
            ),
            _f(
                "priority",
                "Priority",
                "choice",
                "",
                required=True,
                options=("low", "medium", "high", "urgent"),
            ),
            _f("users_affected", "Users affected", "number", "people affected", unit="users"),
            _f("steps_tried", "Steps tried", "list", "already tried, tried"),
            _f("remote_access", "Remote access", "yesno", "remote session, connected remotely"),
            _f("resolved", "Resolved", "yesno", "solved, fixed"),
            _f("due", "Due", "date", "deadline, needed by, fixed by"),
        ],
    },
    "incident-report": {
        "name": "Incident report",
        "fields": [
            _f(
                "occurred_on",
                "Date of incident",
                "date",
                "occurred, date of the incident",
                required=True,
            ),
            _f("location", "Location", "text", "address", required=True),
            _f("description", "What happened", "text", "description"),
            _f(
                "severity",
                "Severity",
                "choice",
                "",
                options=("minor", "moderate", "serious", "critical"),
            ),
            _f("injured", "Anyone injured", "yesno", "injured, injury, injuries, hurt"),
            _f("people_involved", "People involved", "number", "involved", unit="people"),
            _f("damage_cost", "Damage cost", "number", "cost, damage", unit="EUR"),
            _f("actions_taken", "Actions taken", "list", "steps taken"),
            _f("police_notified", "Police notified", "yesno", "police"),
        ],
    },
}
