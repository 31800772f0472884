"""``python -m cybertimeline``: the same as the ``cybertimeline`` command."""

import gc
import sys

# The command's imports are many objects and no garbage: collecting while they are made would
# walk them again and again. The collector is paused for them (the package itself imports
# nothing) and they are frozen out of later collections, as `main` does with the store it
# opens: the process ends with the command.
gc.disable()
from cybertimeline._cli import main  # noqa: E402

gc.freeze()
gc.enable()

if __name__ == "__main__":
    sys.exit(main())
