from functools import lru_cache

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from .models import TIME_ZONE_CHOICES, Invitation, Role, Team, User


@lru_cache(maxsize=8)
def _option_tags(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, tag, selected tag) for each choice, escaped once per process."""
    tags = []
    for value, label in choices:
        start = f'\n  <option value="{escape(value)}"'
        end = f">{conditional_escape(label)}</option>\n"
        tags.append((str(value), start + end, start + " selected" + end))
    return tuple(tags)


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, True bare, False left out."""
    return "".join(f" {conditional_escape(k)}" if v is True else
                   f' {conditional_escape(k)}="{escape(v)}"'
                   for k, v in attrs.items() if v is not False)


class TimeZoneSelect(forms.Select):
    """A <select> of the ~600 time zones with the same HTML as forms.Select, but its options
    rendered once per process: through Django's widget templates they cost ~25 ms of CPU per
    page, most of the profile page's (bench/results/load.md)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = tuple((v, label) for v, label in self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's way
        wanted = set(self.format_value(value))
        options, selected = [], False
        for option, tag, selected_tag in _option_tags(choices):
            if not selected and option in wanted:
                options.append(selected_tag)
                selected = True  # one selected option, as Select (not multiple) marks it
            else:
                options.append(tag)
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        head = f'<select name="{conditional_escape(name)}"{attributes}>'
        # Every name, value, label and attribute above went through escape/conditional_escape.
        return mark_safe(head + "".join(options) + "\n</select>")  # noqa: S308


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Organisation name")
    team_name = forms.CharField(max_length=120, label="First team",
                                help_text="You can add more teams later.")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="UTC",
                                  widget=TimeZoneSelect)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "time_zone", "language", "glossary"]
        widgets = {"time_zone": TimeZoneSelect(choices=TIME_ZONE_CHOICES),
                   "glossary": forms.Textarea(attrs={"rows": 4})}


class NewTeamForm(forms.Form):
    name = forms.CharField(max_length=120, label="Team name")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="UTC",
                                  widget=TimeZoneSelect)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "time_zone"]
        widgets = {"time_zone": TimeZoneSelect(choices=[("", "My team's time zone"),
                                                        *TIME_ZONE_CHOICES])}
