// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The error the script library throws for what Python raises as an exception. The interpreter
// catches it and raises the Python exception of that type with that message, so both must be
// CPython's exactly.

#include <string>

namespace loopscope::script {

struct PyError
{
  /// The Python exception class name: "ValueError", "TypeError", "OverflowError", ...
  std::string type;
  /// CPython's message text, e.g. "invalid literal for int() with base 10: 'abc'". For KeyError
  /// it is the repr of the key, as str(KeyError('a')) prints it.
  std::string message;

  /// "ValueError: message", the way a traceback's last line prints it (for diagnostics).
  std::string to_string() const { return message.empty() ? type : type + ": " + message; }
};

}  // namespace loopscope::script
