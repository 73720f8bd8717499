from uvmono.cli import main

main()
