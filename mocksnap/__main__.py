from mocksnap.cli import main

raise SystemExit(main())
