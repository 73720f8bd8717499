from uvmono.entry import main

main()
