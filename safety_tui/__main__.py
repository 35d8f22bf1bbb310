from safety_tui.cli import main

raise SystemExit(main())
