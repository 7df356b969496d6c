"""Allows ``python -m wijkkit``: the command line's jobs, as the ``wijkkit`` command runs them.

The core never opens the desktop app (decision 0001): without a subcommand this says that
``wijkkit`` or ``python -m wijkkit_launcher`` starts the app, and exits with 2.
"""

import sys

from wijkkit.cli import main

sys.exit(main())
