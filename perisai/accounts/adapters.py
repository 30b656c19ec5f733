"""allauth adapter: no public sign-up. Accounts are created by administrators only."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Anyone may report without an account; staff accounts exist only for people the office vetted.
        return False
