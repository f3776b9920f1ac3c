// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace loopscope::app {

/// `loopscope run SCRIPT.py [options]`: runs a script headless (see README, "Scripts"). argv[1]
/// is "run". Returns the process exit status (the script's).
int runCommand(int argc, char** argv);

/// Forces the light or dark theme on the whole application, with the Fusion style (`--theme`
/// of the GUI and of `loopscope run --image`). Call after the QApplication exists.
void forceTheme(bool dark);

}  // namespace loopscope::app
