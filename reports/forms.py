from datetime import timedelta

from django import forms
from django.utils import timezone

from assistant.models import Membership, Role

from . import layouts as L
from .models import Draft

TONE = forms.ChoiceField(choices=Draft.Tone.choices, initial=L.FRIENDLY)


def lines(value: str) -> list[str]:
    """One item a line; list marks the person typed are dropped."""
    return [line.strip(" -•*\t") for line in value.splitlines() if line.strip(" -•*\t")]


class EmailForm(forms.Form):
    to = forms.CharField(label="To (names)", max_length=300,
                         help_text="Who it is for, e.g. “Aisha Bello, Liam O'Connor”.")
    recipients = forms.CharField(label="Their email addresses", required=False, max_length=1000,
                                 help_text="Optional now; needed only to send from here.")
    purpose = forms.CharField(max_length=200, help_text="What the email is about.")
    points = forms.CharField(label="Key points, one a line", widget=forms.Textarea(
        attrs={"rows": 5}), max_length=4000)
    tone = TONE


class ReplyForm(forms.Form):
    original = forms.CharField(label="The email you are answering", max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 8}))
    gist = forms.CharField(label="Your answer, in a few words", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    tone = TONE


class FollowupForm(forms.Form):
    tone = TONE


class FeedbackForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, empty_label=None)
    first = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    points = forms.CharField(label="What you observed, one point a line", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    impact = forms.CharField(label="The effect it had, one a line (optional)", required=False,
                             max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    tone = TONE

    def __init__(self, *args, team, manager, **kwargs):
        super().__init__(*args, **kwargs)
        from assistant.models import User

        self.fields["member"].queryset = (User.objects.filter(memberships__team=team)
                                          .exclude(pk=manager.pk).order_by("name", "email"))
        today = timezone.localdate()
        self.fields["first"].initial = today - timedelta(days=13)
        self.fields["last"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError("The period has to start before it ends.")
        return data


class ReportForm(forms.Form):
    notes = forms.CharField(required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Anything your to-dos do not show.")
    tone = TONE


class DraftEditForm(forms.Form):
    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), max_length=50000)
    recipients = forms.CharField(required=False, max_length=2000,
                                 help_text="Email addresses, separated by commas.")


class StyleForm(forms.Form):
    tone = forms.ChoiceField(label="The team's usual tone", choices=Draft.Tone.choices)

    def __init__(self, *args, style, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tone"].initial = style.tone
        for tone in L.TONES:
            self.fields[f"signoff_{tone}"] = forms.CharField(
                label=f"Sign-off ({tone})", max_length=60, required=False,
                initial=style.signoffs.get(tone, ""), help_text=f"Default: {L.SIGNOFFS[tone]}")
        for kind in L.KINDS:
            layout = style.layout(kind)
            slots = ", ".join(f"{{{s}}}" for s in (*L.COMMON_SLOTS, *L.FACT_SLOTS[kind],
                                                   *L.SUBJECT_SLOTS[kind]))
            self.fields[f"subject_{kind}"] = forms.CharField(
                label=f"{L.KIND_LABELS[kind]}: subject", max_length=200, initial=layout.subject)
            self.fields[f"body_{kind}"] = forms.CharField(
                label=f"{L.KIND_LABELS[kind]}: layout", initial=layout.body, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 10}), help_text=f"Slots: {slots}")

    def clean(self):
        data = super().clean()
        for kind in L.KINDS:
            layout = L.Layout(data.get(f"subject_{kind}", ""),
                              data.get(f"body_{kind}", "").replace("\r\n", "\n"))
            for error in L.layout_errors(kind, layout):
                self.add_error(f"body_{kind}", error)
        return data

    def layouts(self) -> dict[str, L.Layout]:
        return {k: L.Layout(self.cleaned_data[f"subject_{k}"],
                            self.cleaned_data[f"body_{k}"].replace("\r\n", "\n"))
                for k in L.KINDS}

    def signoffs(self) -> dict[str, str]:
        return {t: self.cleaned_data[f"signoff_{t}"] for t in L.TONES}


def is_manager(membership: Membership) -> bool:
    return membership.has_role(Role.MANAGER)
