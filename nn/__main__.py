from nn.cli import main

raise SystemExit(main())
