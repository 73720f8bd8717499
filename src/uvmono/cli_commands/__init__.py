"""The commands of the command line, one module per topic.

Each module registers its commands on the apps of `apps` when imported; `uvmono.cli` imports
them in the order `uvmono --help` lists them.
"""
