"""Allows ``python -m wijkkit``: the same as the ``wijkkit`` command."""

import sys

from wijkkit.cli import main

sys.exit(main())
