"""`uvmono --help` as typer prints it at 80 columns or more (see entry.py).

Generated: `UVMONO_UPDATE_GOLDEN=1 pytest tests/test_entry.py` rewrites it.
"""

TOP_HELP = (
    'Usage: uvmono [OPTIONS] COMMAND [ARGS]...\n'
    '\n'
    '  The build planner for uv workspaces: what a change affects, and how to build\n'
    '  it.\n'
    '\n'
    'Options:\n'
    '  --root <path>                Workspace root.  [default: the workspace of the\n'
    '                               current directory, found as uv finds it]\n'
    '  --color <auto|always|never>  Colour the error:, warning: and hint: prefixes\n'
    '                               and the members `graph --since` marks. `auto`:\n'
    '                               on a terminal, unless NO_COLOR is set or\n'
    '                               FORCE_COLOR is.  [default: auto]\n'
    '  -q, --quiet                  Hide status lines; -qq hides warnings too.\n'
    '  -v, --verbose                Also say which workspace it read and how long\n'
    '                               the command took.\n'
    '  --debug                      Show tracebacks.\n'
    '  -V, --version                Print the version.\n'
    '  -h, --help                   Show this message and exit.\n'
    '\n'
    'Commands:\n'
    '  members     List the workspace members, found exactly as uv finds them.\n'
    "  hash        The fingerprint of each member's test task: what CI's pass...\n"
    '  graph       The member dependency graph (or the closure of the named...\n'
    '  affected    The members a git change affects, and why.\n'
    '  init        Add a commented [tool.uvmono] table to the root...\n'
    '  generate    Write every artifact [tool.uvmono] generate asks for, in...\n'
    '  check       Exit 1 with a diff for each generated artifact that is...\n'
    '  schema      Print the JSON Schema of [tool.uvmono], for editor...\n'
    '  matrix      The affected members as a CI matrix.\n'
    "  completion  Print the script that completes uvmono's commands and...\n"
    '  run         Run a task or a command in each selected member, in its own...\n'
    '  docker      Per-member Dockerfiles, build commands, a bake file and...\n'
    '  ci          Generated CI: a GitHub Actions workflow or a GitLab pipeline.\n'
    '\n'
    "  Run `uvmono COMMAND -h` for a command's options and examples.\n"
)
