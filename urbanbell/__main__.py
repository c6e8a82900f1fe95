from urbanbell.cli import main

raise SystemExit(main())
