// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the script front end (lexer, parser, resolver, AST dump) on arbitrary bytes.
// Any input must end in a Module or a ParseError (a SyntaxError with its position, or "not
// supported by loopscope"), never a crash, a hang or a sanitizer report. See fuzz/README.md.
#include "engine/script/ast.h"
#include "engine/script/astdump.h"
#include "engine/script/frame.h"
#include "engine/script/resolver.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  using namespace loopscope::script;
  std::string source(reinterpret_cast<const char*>(data), size);
  try {
    Module m = parse(std::move(source), "fuzz.py");
    std::vector<std::unique_ptr<ScopeInfo>> scopes;
    resolve(m, scopes);
    (void)dump(m, true);
  } catch (const ParseError& e) {
    // The position must lie inside the source (line 1-based, col 1-based); 0 means none.
    (void)e.describe();
  }
  return 0;
}
