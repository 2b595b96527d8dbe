"""Signing out on a shared phone: allauth's sign-out, and the browser told to drop its cache.

`Clear-Site-Data: "cache"` empties the browser's HTTP cache for this site, so that the next
person cannot page back to copies of the previous person's pages. It deliberately leaves
"storage" alone: entries captured offline and not yet sent wait in IndexedDB for their author
(visits/static/visits/capture.js), and the capture service worker serves its saved pages only
to the person they were made for (visits/static/visits/sw.js)."""

from allauth.account.views import LogoutView
from django.http import HttpResponse


class SignOut(LogoutView):
    def post(self, *args, **kwargs) -> HttpResponse:
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


sign_out = SignOut.as_view()
