"""``python -m cybertimeline``: the same as the ``cybertimeline`` command."""

import sys

from cybertimeline._cli import main

if __name__ == "__main__":
    sys.exit(main())
