"""``python -m partyledger`` runs the same entry point as the ``partyledger`` command."""

from partyledger.cli import main

if __name__ == "__main__":
    main()
