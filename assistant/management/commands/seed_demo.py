"""Create (or bring back) the demo organisation: `python manage.py seed_demo`."""

import os

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand
from django.db import transaction

from assistant.models import Membership, Organisation, Role, Team, User

PEOPLE = [
    ("admin@demo.local", "Ada Admin", Role.ADMIN),
    ("manager@demo.local", "Maya Manager", Role.MANAGER),
    ("alice@demo.local", "Alice Employee", Role.EMPLOYEE),
    ("bob@demo.local", "Bob Employee", Role.EMPLOYEE),
]
# People with a second factor (managers and admins need one when MFA is enforced).
WITH_TOTP = {Role.ADMIN, Role.MANAGER}


class Command(BaseCommand):
    help = "Create the demo team (slug 'demo') and its people; safe to run again."

    def handle(self, *args, **options):
        password = os.getenv("DEMO_PASSWORD", "team-assistant-demo")
        with transaction.atomic():
            rows = self._seed(password)
        self.stdout.write(self.style.SUCCESS("Demo team 'demo' is ready. Sign in with:"))
        for email, role, secret in rows:
            line = f"  {role:<9} {email:<22} password: {password}"
            if secret:
                line += f"  TOTP secret: {secret}"
            self.stdout.write(line)

    def _seed(self, password: str) -> list[tuple[str, str, str]]:
        organisation, _ = Organisation.objects.get_or_create(name="Demo Company")
        team, _ = Team.objects.get_or_create(
            slug="demo", defaults={"name": "Demo Team", "organisation": organisation,
                                   "time_zone": "Europe/London"})
        research, _ = Team.objects.get_or_create(
            slug="demo-research", defaults={"name": "Demo Research",
                                            "organisation": organisation,
                                            "time_zone": "America/New_York"})
        rows = []
        for email, name, role in PEOPLE:
            user, _ = User.objects.get_or_create(email=email, defaults={"name": name})
            user.set_password(password)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True})
            Membership.objects.update_or_create(user=user, team=team, defaults={"role": role})
            secret = self._totp_secret(user) if role in WITH_TOTP else ""
            rows.append((email, role, secret))
        # The manager also works in a second team, as an employee there.
        manager = User.objects.get(email="manager@demo.local")
        Membership.objects.update_or_create(user=manager, team=research,
                                            defaults={"role": Role.EMPLOYEE})
        admin = User.objects.get(email="admin@demo.local")
        Membership.objects.update_or_create(user=admin, team=research,
                                            defaults={"role": Role.ADMIN})
        return rows

    @staticmethod
    def _totp_secret(user: User) -> str:
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing:
            return decrypt(existing.data["secret"])
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret
