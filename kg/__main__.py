"""``python -m kg``: the ``kg`` command, for environments where its script is not on PATH."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main())
