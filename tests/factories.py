import factory
from allauth.account.models import EmailAddress

from assistant.models import Job, Membership, Organisation, Role, Team, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    time_zone = "Europe/Paris"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.EMPLOYEE


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    team = factory.SubFactory(TeamFactory)
    owner = factory.SubFactory(UserFactory)
    kind = "assistant.worker_check"
    title = "Worker check"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    team = factory.SubFactory(TeamFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Weekly sync {n}")
    held_on = factory.Faker("date_this_year")
    status = "ready"
    duration = 12.0
    audio = factory.django.FileField(filename="sync.flac", data=b"fLaC" + bytes(2000))
    audio_name = "sync.flac"


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Segment"

    meeting = factory.SubFactory(MeetingFactory)
    index = factory.Sequence(lambda n: n)
    start = factory.Sequence(lambda n: 2.0 * n)
    end = factory.LazyAttribute(lambda s: s.start + 1.8)
    text = "We agreed to ship the beta on Friday."
    words = factory.LazyAttribute(lambda s: [[s.start, s.start + 0.3, " We"],
                                             [s.start + 0.3, s.start + 0.9, " agreed"]])
