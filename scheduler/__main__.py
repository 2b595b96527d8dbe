"""`python -m scheduler PROBLEM.json -o PLAN.json`: the scheduler without the web app."""

import sys

from .cli import main, process_age

sys.exit(main(sys.argv[1:], spent=process_age()))
