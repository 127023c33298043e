"""Forms for records: the review form built from a template version, dictation, templates."""

import datetime as dt

from django import forms
from django.conf import settings

from assistant.models import Role

from .records_starters import TYPES

TYPE_LABELS = {
    "text": "Text",
    "number": "Number",
    "date": "Date",
    "choice": "Choice from a list",
    "yesno": "Yes / no",
    "list": "List of items",
}
YESNO = [("", "—"), ("yes", "Yes"), ("no", "No")]


def record_form(version, *args, **kwargs) -> forms.Form:
    """The review form of one template version, with a field per template field."""
    form = forms.Form(*args, **kwargs)
    for spec in version.fields:
        form.fields[spec["name"]] = _form_field(spec)
    return form


def _form_field(spec: dict) -> forms.Field:
    common = {
        "label": spec["label"],
        "required": spec["required"],
        "help_text": spec.get("hint", ""),
    }
    kind = spec["type"]
    if kind == "number":
        if spec.get("unit"):
            common["label"] = f"{spec['label']} ({spec['unit']})"
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—")] + [(o, o) for o in spec["options"]], **common)
    if kind == "yesno":
        return forms.ChoiceField(choices=YESNO, **common)
    if kind == "list":
        common["help_text"] = (
            common["help_text"] + " · " if common["help_text"] else ""
        ) + "One item a line."
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, **common)


def form_initial(version, values: dict) -> dict:
    """Stored values as the form shows them."""
    initial = {}
    for spec in version.fields:
        value = values.get(spec["name"])
        if value is None:
            continue
        if spec["type"] == "yesno":
            value = "yes" if value else "no"
        elif spec["type"] == "list":
            value = "\n".join(value)
        initial[spec["name"]] = value
    return initial


def form_values(version, cleaned: dict) -> dict:
    """A valid form's data as stored values: ISO dates, numbers, booleans, lists."""
    values = {}
    for spec in version.fields:
        value = cleaned.get(spec["name"])
        kind = spec["type"]
        if value in (None, ""):
            value = [] if kind == "list" else None
        elif kind == "number":
            value = int(value) if value == value.to_integral_value() else float(value)
        elif kind == "date":
            value = value.isoformat() if isinstance(value, dt.date) else value
        elif kind == "yesno":
            value = value == "yes"
        elif kind == "list":
            value = [line.strip(" -•\t") for line in value.splitlines() if line.strip(" -•\t")]
        else:
            value = value.strip()
        values[spec["name"]] = value
    return values


class DictationUploadForm(forms.Form):
    """What the recorder and the uploader send (the recorder names the date held_on)."""

    audio = forms.FileField(label="Recording")
    held_on = forms.DateField(
        label="Recorded on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_audio(self):
        audio = self.cleaned_data["audio"]
        if audio.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError("This file is larger than the server accepts.")
        return audio


class DictationTextForm(forms.Form):
    text = forms.CharField(
        label="Dictated text", max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    recorded_on = forms.DateField(
        label="Dictated on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Relative dates (“yesterday”) count from it.",
    )


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    visible_to = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who sees every record",
        help_text="Authors always see their own records.",
    )
    use_model = forms.BooleanField(
        required=False,
        label="Let the small model propose free-text fields",
        help_text="Only words of the transcript are accepted; you review them before saving.",
    )


class FieldForm(forms.Form):
    label = forms.CharField(max_length=80, label="Field")
    type = forms.ChoiceField(choices=[(t, TYPE_LABELS[t]) for t in TYPES])
    required = forms.BooleanField(required=False)
    hint = forms.CharField(
        max_length=200, required=False, help_text="What people say for it, comma-separated."
    )
    options = forms.CharField(max_length=500, required=False, help_text="Choices, comma-separated.")
    unit = forms.CharField(max_length=20, required=False)
    name = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)


FieldFormSet = forms.formset_factory(FieldForm, extra=2, can_delete=True)


def fields_from_formset(formset) -> list[dict]:
    """The formset's rows as template fields (empty and deleted rows left out)."""
    fields = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("label"):
            continue
        fields.append(
            {
                **data,
                "options": [o.strip() for o in data.get("options", "").split(",") if o.strip()],
            }
        )
    return fields


def formset_initial(fields: list[dict]) -> list[dict]:
    return [{**f, "options": ", ".join(f.get("options") or [])} for f in fields]
