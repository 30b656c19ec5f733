"""Compile one gettext catalogue (.po) to .mo with Babel, so running Perisai needs no gettext tools."""

import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def main(source: str, target: str) -> None:
    with open(source, "rb") as po_file:
        catalog = read_po(po_file)
    with open(target, "wb") as mo_file:
        write_mo(mo_file, catalog)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
