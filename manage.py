#!/usr/bin/env python
"""Django's manage.py; `opendoors` (installed with the project) is the same command."""

from opendoors.cli import main

if __name__ == "__main__":
    main()
