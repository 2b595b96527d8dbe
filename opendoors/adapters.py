"""Sign-in rules: accounts come from imports and administrators, SSO signs in known people."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from .client_ip import client_ip


class ClosedAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """The address sign-in throttling counts by: X-Forwarded-For only from our proxies."""
        return client_ip(
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            forwarded_for=request.headers.get("X-Forwarded-For"),
            proxies=settings.OPENDOORS_TRUSTED_PROXIES,
        )


class ExistingPeopleSocialAdapter(DefaultSocialAccountAdapter):
    """Single sign-on connects to a person already in OpenDoors by email; it creates no one."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
