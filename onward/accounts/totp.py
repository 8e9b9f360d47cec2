"""Authenticator app set-up for staff (TOTP through django-otp)."""

from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_new(user: Any, name: str = "Authenticator app") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=name, confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning link as an inline SVG QR code (no script, no external request)."""
    issuer = quote(settings.OTP_TOTP_ISSUER)
    uri = device.config_url.replace("otpauth://totp/", f"otpauth://totp/{issuer}:", 1)
    qr = segno.make(uri, error="m")
    svg: str = qr.svg_inline(scale=5, title="QR code for your authenticator app")
    return svg
