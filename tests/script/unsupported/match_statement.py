# SPDX-License-Identifier: GPL-3.0-or-later
# Valid Python outside loopscope's subset: a match statement (line 6).


def describe(command):
    match command.split():
        case ["go", direction]:
            return f"going {direction}"
        case ["quit"]:
            return "bye"
        case _:
            return "unknown"


print(describe("go north"), describe("quit"), describe("dance"))
