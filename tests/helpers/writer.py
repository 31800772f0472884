"""A writer process for the crash, fault and concurrency tests.

    python writer.py STORE PREFIX START COUNT [CONTESTED] [--batch N] [--file-limit BYTES]

appends statements PREFIX-START ... PREFIX-(START+COUNT-1) to STORE, printing
each id once its append has returned (so the parent knows it is
acknowledged). With CONTESTED, it first tries to append an event of that id
whose content names this writer, printing "won" or "lost". With ``--batch N``
it appends N events at a time (`Timeline.extend`). With ``--file-limit``, no
file it writes may grow past that many bytes (``RLIMIT_FSIZE``: a full disk);
the first append that fails prints ``full ERROR-CLASS``, the limit is lifted
and the same events are appended again.
"""

from __future__ import annotations

import argparse
import resource
import signal
import sys

import cybertimeline as ct

SOURCE = (ct.Source(title="writer test"),)


def statement(event_id: str, summary: str) -> ct.Statement:
    return ct.Statement(id=event_id, date=ct.Date.parse("2020-05"), actor="CAN",
                        topic="budapest-convention", stance="supports", summary=summary,
                        sources=SOURCE)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("prefix")
    parser.add_argument("start", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("contested", nargs="?")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--file-limit", type=int)
    args = parser.parse_args(argv)
    timeline = ct.load(args.store)
    if args.contested:
        try:
            timeline.append(statement(args.contested, f"written by {args.prefix}"))
            print("won", flush=True)
        except ct.ValidationError:
            print("lost", flush=True)
    if args.file_limit is not None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        unlimited = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.file_limit, unlimited[1]))
    numbers = range(args.start, args.start + args.count)
    for first in range(0, len(numbers), args.batch):
        ids = [f"{args.prefix}-{n}" for n in numbers[first:first + args.batch]]
        batch = [statement(i, i) for i in ids]
        try:
            timeline.extend(batch)
        except ct.TimelineError as error:
            if args.file_limit is None:
                raise
            print(f"full {type(error).__name__}", flush=True)
            resource.setrlimit(resource.RLIMIT_FSIZE, unlimited)
            args.file_limit = None
            timeline.extend(batch)
        for event_id in ids:
            print(event_id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
