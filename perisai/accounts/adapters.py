"""allauth adapters: no public sign-up, and second-factor secrets encrypted at rest."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from perisai.accounts import login_limits
from perisai.core import crypto

# allauth stores TOTP secrets and recovery-code seeds in clear unless these hooks encrypt them.
_PREFIX = "enc1:"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Anyone may report without an account; staff accounts exist only for people the office vetted.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        # Our own per-account and per-address limits (login_limits) replace allauth's for the password step; its
        # "login_failed" limit is left to the second-factor step (settings.ACCOUNT_RATE_LIMITS).
        login_limits.check(request, credentials)

    def authentication_failed(self, request, **credentials) -> None:
        login_limits.failed(request, credentials)
        super().authentication_failed(request, **credentials)

    def login(self, request, user) -> None:
        super().login(request, user)
        login_limits.remember_device(request, user)


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _PREFIX + crypto.encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            raise ValueError("A second-factor secret is stored unencrypted.")
        return crypto.decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
