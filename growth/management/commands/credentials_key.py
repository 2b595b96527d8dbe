"""`opendoors credentials-key -o FILE`: a new key to sign the district's Open Badges
credentials (growth/credentials.py), written as PEM readable by its owner alone. It never
overwrites a file: credentials already issued are checked with the key that signed them."""

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from growth.credentials import key_generate


class Command(BaseCommand):
    help = "Write a new private key for signing credentials (PEM, mode 0600)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="the key file to create")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        try:
            # O_EXCL: refuse a file that exists, even one made a moment ago by someone else.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} exists: OpenDoors never overwrites a key.") from None
        except OSError as error:
            raise CommandError(f"Cannot create {path}: {error.strerror}.") from None
        with os.fdopen(descriptor, "wb") as file:
            file.write(key_generate())
        self.stdout.write(
            f"Wrote a new credentials key to {path}. "
            f"Set OPENDOORS_CREDENTIALS_KEY_FILE={path.resolve()} and keep a copy safe."
        )
