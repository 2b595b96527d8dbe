"""Inquiry: the cycle of inquiry and its focus: problem of practice, theory of action,
look-fors, the evidence tool and the pre-brief."""

from django.apps import AppConfig


class InquiryConfig(AppConfig):
    name = "inquiry"
