import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from onward.accounts.models import User
from onward.core.actors import UserKind
from onward.organisations.models import Role, StaffRole
from onward.organisations.tests.factories import PrisonFactory

FAKE_GB = Faker("en_GB")


def plain_name(name: str) -> str:
    return name.replace("'", "")


TEST_PASSWORD = "correct horse battery staple"


class StaffFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    kind = UserKind.STAFF
    first_name = factory.LazyFunction(lambda: plain_name(FAKE_GB.first_name()))
    # Without apostrophes (O'Connor), so tests can look for the name as typed in escaped HTML.
    last_name = factory.LazyFunction(lambda: plain_name(FAKE_GB.last_name()))
    username = factory.Sequence(lambda n: f"staff{n}@justice.example")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(TEST_PASSWORD)


class StaffRoleFactory(factory.django.DjangoModelFactory[StaffRole]):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(StaffFactory)
    role = Role.KEY_WORKER
    unit = factory.SubFactory(PrisonFactory)


class TOTPDeviceFactory(factory.django.DjangoModelFactory[TOTPDevice]):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(StaffFactory)
    name = "Authenticator app"
    confirmed = True


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in_codes_send_queued() -> int:
    """Run the queued sign-in code sends, as the task worker would; returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    from onward.accounts.tasks import send_sign_in_code

    queued = list(DBTaskResult.objects.filter(task_path=send_sign_in_code.module_path).order_by("enqueued_at"))
    for row in queued:
        send_sign_in_code.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()
    return len(queued)
