"""``python -m catalogue.cli``: the same command as ``catalogue``."""

import sys

from catalogue.cli import main

sys.exit(main())
