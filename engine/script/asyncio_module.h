// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/script/interp.h"

namespace loopscope::script {

/// Registers the `asyncio` module (and its types) with `in`.
void install_asyncio(Interp& in);
/// A `signal.Signals` member (SIGINT, ...), and the number of an int or Signals value.
Value make_signal(Interp& in, int num, const std::string& name);
int signal_number(Interp& in, const Value& v);
/// The `signal.Signals` type (its members are class attributes).
Value signals_type(Interp& in);

}  // namespace loopscope::script
