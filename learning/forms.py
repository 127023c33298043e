from django import forms

from assistant.models import Team

from .models import LEVELS, RESOURCE_LEVELS, Resource, Skill
from .services import DISMISS_REASONS

LEVEL_CHOICES = [("", "—")] + [(str(v), n) for v, n in LEVELS]


class SkillForm(forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "description", "expected_level"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = Skill.objects.filter(team=self.team, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("The team already has a skill with this name.")
        return name


class ResourceForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=500, label="Link", assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["title", "url", "kind", "duration_minutes", "level", "skills", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "skills": forms.CheckboxSelectMultiple}
        labels = {"duration_minutes": "Duration (minutes)"}

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.filter(team=team)
        self.fields["kind"].choices = [c for c in Resource.Kind.choices
                                       if c[0] != Resource.Kind.MEETING]


class MeetingResourceForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=None, label="Recorded meeting")
    level = forms.TypedChoiceField(choices=RESOURCE_LEVELS, coerce=int, initial=1)
    skills = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, team: Team, **kwargs):
        from meetings.models import Meeting

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(team=team, status="ready")
        self.fields["skills"].queryset = Skill.objects.filter(team=team)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with a header row (title, url, kind, duration, skills "
                                     "separated by ;, level, description) or a JSON list.")


class DismissForm(forms.Form):
    reason = forms.ChoiceField(choices=[(r, r) for r in DISMISS_REASONS] + [("other", "Other")])
    other = forms.CharField(required=False, max_length=300, label="Other reason")

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other":
            if not data.get("other", "").strip():
                raise forms.ValidationError("Write the other reason.")
            data["reason"] = data["other"]
        return data


class AssignForm(forms.Form):
    resource = forms.ModelChoiceField(queryset=None)
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(team=team)
