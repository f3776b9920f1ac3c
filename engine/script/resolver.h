// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/script/ast.h"

#include <memory>
#include <vector>

namespace loopscope::script {

struct ScopeInfo;

/// Resolves every name of `m` (Python's symtable rules: locals, cells, free variables, globals,
/// class bodies) and marks the nodes that contain `await`. The scopes go into `scopes` (owned by
/// the caller); returns the module's scope. Throws ParseError for scope errors CPython reports at
/// compile time ('await' outside async function, 'return' outside function, ...).
ScopeInfo* resolve(Module& m, std::vector<std::unique_ptr<ScopeInfo>>& scopes);

}  // namespace loopscope::script
