"""Browser tests: real headless Chromium against the live server."""
