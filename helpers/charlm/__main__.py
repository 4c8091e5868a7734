"""``python -m helpers.charlm``: see :mod:`helpers.charlm`."""

import sys

from helpers.charlm.cli import main

sys.exit(main())
