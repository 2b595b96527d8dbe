"""Sign-in rules: accounts come from imports and administrators, SSO signs in known people."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from .account import email_trusted
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

    def authenticate_by_email(self, sociallogin):
        """allauth's lookup, less the addresses nobody verified: allauth matches any address a
        person recorded, and with SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT the school
        account then stays connected to them. An address typed on the account page is
        unverified, so a colleague's first single sign-on cannot land in whoever typed it."""
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(
                sociallogin, address.email
            ):
                continue
            for person in filter_users_by_email(address.email, prefer_verified=True):
                if email_trusted(person, address.email):
                    return person, address.email
        return None
