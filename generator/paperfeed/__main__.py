from paperfeed.cli import main

raise SystemExit(main())
