"""``python -m planwriter`` runs the command line."""
from .cli import main

main()
