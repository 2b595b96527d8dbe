"""`python -m scheduler PROBLEM.json -o PLAN.json`: the scheduler without the web app."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
