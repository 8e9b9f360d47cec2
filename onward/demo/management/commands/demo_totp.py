from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from onward.demo.seed import demo_totp_device


class Command(BaseCommand):
    help = "Print the current authenticator code for a demo staff member (demo data only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo codes are never available in production.")
        device: TOTPDevice | None = demo_totp_device(options["email"])
        if device is None:
            raise CommandError(f"No demo authenticator for {options['email']}. Is it one of the demo staff?")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
