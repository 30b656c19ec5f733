"""allauth adapters: no public sign-up, and second-factor secrets encrypted at rest."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from perisai.core import crypto

# allauth stores TOTP secrets and recovery-code seeds in clear unless these hooks encrypt them.
_PREFIX = "enc1:"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Anyone may report without an account; staff accounts exist only for people the office vetted.
        return False


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _PREFIX + crypto.encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            raise ValueError("A second-factor secret is stored unencrypted.")
        return crypto.decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
