"""``python -m deployguard``: the command line (see :mod:`deployguard.cli`)."""

from deployguard.cli.main import main

raise SystemExit(main())
