"""Run the catalogue sync command line."""

from catalogue_sync.cli import main

main()
