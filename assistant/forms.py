from django import forms

from .models import TIME_ZONE_CHOICES, Invitation, Role, Team, User


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Organisation name")
    team_name = forms.CharField(max_length=120, label="First team",
                                help_text="You can add more teams later.")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="UTC")


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "time_zone", "language", "glossary"]
        widgets = {"time_zone": forms.Select(choices=TIME_ZONE_CHOICES),
                   "glossary": forms.Textarea(attrs={"rows": 4})}


class NewTeamForm(forms.Form):
    name = forms.CharField(max_length=120, label="Team name")
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="UTC")


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
        widgets = {"time_zone": forms.Select(choices=[("", "My team's time zone"),
                                                      *TIME_ZONE_CHOICES])}
