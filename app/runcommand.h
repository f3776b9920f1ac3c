// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace loopscope::app {

/// `loopscope run SCRIPT.py [options]`: runs a script headless (see README, "Scripts"). argv[1]
/// is "run". Returns the process exit status (the script's).
int runCommand(int argc, char** argv);

}  // namespace loopscope::app
