"""A writer process for the crash and concurrency tests.

    python writer.py STORE PREFIX START COUNT [CONTESTED]

appends statements PREFIX-START ... PREFIX-(START+COUNT-1) to STORE, printing
each id once its append has returned (so the parent knows it is
acknowledged). With CONTESTED, it first tries to append an event of that id
whose content names this writer, printing "won" or "lost".
"""

from __future__ import annotations

import sys

import cybertimeline as ct

SOURCE = (ct.Source(title="writer test"),)


def statement(event_id: str, summary: str) -> ct.Statement:
    return ct.Statement(id=event_id, date=ct.Date.parse("2020-05"), actor="CAN",
                        topic="budapest-convention", stance="supports", summary=summary,
                        sources=SOURCE)


def main(argv: list[str]) -> int:
    store, prefix, start, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    timeline = ct.load(store)
    if len(argv) > 4:
        try:
            timeline.append(statement(argv[4], f"written by {prefix}"))
            print("won", flush=True)
        except ct.ValidationError:
            print("lost", flush=True)
    for number in range(start, start + count):
        event_id = f"{prefix}-{number}"
        timeline.append(statement(event_id, event_id))
        print(event_id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
