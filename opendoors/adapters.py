"""Sign-in rules: accounts come from imports and administrators, SSO signs in known people."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class ClosedAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class ExistingPeopleSocialAdapter(DefaultSocialAccountAdapter):
    """Single sign-on connects to a person already in OpenDoors by email; it creates no one."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
