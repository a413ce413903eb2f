import factory

from accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    role = Role.EXPERT
    password = factory.PostGenerationMethodCall("set_password", "pw-Test-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnionUserFactory(UserFactory):
    role = Role.ENTERPRISE_UNION
    enterprise = factory.SubFactory("tests.factories.studios.EnterpriseFactory")


class DistrictStaffFactory(UserFactory):
    role = Role.DISTRICT_UNION


class BureauStaffFactory(UserFactory):
    role = Role.BUREAU


class ExpertUserFactory(UserFactory):
    role = Role.EXPERT


class FinanceUserFactory(UserFactory):
    role = Role.FINANCE


class AuditorFactory(UserFactory):
    role = Role.AUDITOR


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True
    is_staff = True
