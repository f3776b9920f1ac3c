// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Scopes (computed once per function by the resolver) and frames (one per call).

#include "engine/script/ast.h"
#include "engine/script/value.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace loopscope::script {

/// How a NameExpr is looked up (NameExpr::scope).
enum class NameScope : std::uint8_t {
  Unresolved = 0,
  Fast,    ///< a local in Frame::fast[slot]
  Deref,   ///< a cell in Frame::cells[slot] (captured local or free variable)
  Global,  ///< module globals, then builtins
  Class,   ///< class body: the class namespace, then globals and builtins
};

struct ScopeInfo
{
  enum class Type : std::uint8_t { Module, Function, Class, Comprehension };
  Type type = Type::Module;
  std::string name;      ///< function name (for tracebacks and errors)
  std::string qualname;  ///< Outer.method, outer.<locals>.inner
  ScopeInfo* parent = nullptr;
  bool is_async = false;

  std::vector<std::string> fast_names;  ///< slots; parameters first
  std::unordered_map<std::string, int> fast_index;
  std::vector<std::string> cell_names;  ///< own captured locals first, then free variables
  std::unordered_map<std::string, int> cell_index;
  int ncellvars = 0;
  /// Parameters that live in cells (captured by an inner function): (param slot, cell slot).
  std::vector<std::pair<int, int>> param_cells;

  // Resolver bookkeeping.
  std::unordered_set<std::string> assigned, globals, nonlocals, used;
  std::vector<std::string> params;
  std::vector<NameExpr*> names;
  std::vector<ScopeInfo*> children;
};

struct FunctionObject;

struct Frame
{
  ScopeInfo* scope = nullptr;
  FunctionObject* func = nullptr;  ///< null for module and class bodies
  ModuleObject* module = nullptr;  ///< globals
  std::unordered_map<std::string, Value>* class_ns = nullptr;
  std::vector<Value> fast;
  std::vector<Value> cells;  ///< CellObjects
  Frame* back = nullptr;     ///< the caller (or the awaiting coroutine's frame)
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  Value retval;
  Value handling;  ///< the exception being handled (bare `raise`, __context__)
  Value fn_ref;    ///< keeps the function alive while the frame runs
  const std::string* filename = nullptr;
};

}  // namespace loopscope::script
