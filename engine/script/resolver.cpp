// SPDX-License-Identifier: GPL-3.0-or-later
// The resolver: decides for every name whether it is a fast local, a cell, a global or a
// class-body name (Python's symtable), and marks which statements and expressions contain
// `await` so the evaluator only uses coroutines where it must.

#include "engine/script/resolver.h"

#include "engine/script/frame.h"

#include <functional>
#include <set>

namespace loopscope::script {

namespace {

struct Resolver
{
  std::vector<std::unique_ptr<ScopeInfo>>& out;
  const std::string& filename;

  ScopeInfo* new_scope(ScopeInfo::Type type, std::string name, ScopeInfo* parent)
  {
    out.push_back(std::make_unique<ScopeInfo>());
    ScopeInfo* s = out.back().get();
    s->type = type;
    s->name = std::move(name);
    s->parent = parent;
    if (parent != nullptr) {
      parent->children.push_back(s);
      if (parent->type == ScopeInfo::Type::Module)
        s->qualname = s->name;
      else if (parent->type == ScopeInfo::Type::Class)
        s->qualname = parent->qualname + "." + s->name;
      else
        s->qualname = parent->qualname + ".<locals>." + s->name;
    } else {
      s->qualname = s->name;
    }
    return s;
  }

  [[noreturn]] void error(Pos p, std::string msg)
  {
    ParseError e;
    e.kind = ParseError::Kind::Syntax;
    e.message = std::move(msg);
    e.filename = filename;
    e.pos = p;
    throw e;
  }

  void bind(ScopeInfo* s, const std::string& name) { s->assigned.insert(name); }

  // ---- pass 1: collect bindings and uses; returns has_await
  bool expr(ScopeInfo* s, Expr* e)
  {
    if (e == nullptr)
      return false;
    bool aw = false;
    switch (e->kind) {
      case ExprKind::Constant:
        break;
      case ExprKind::Name: {
        auto* n = static_cast<NameExpr*>(e);
        if (n->ctx == Ctx::Load)
          s->used.insert(n->id);
        else
          bind(s, n->id);
        s->names.push_back(n);
        break;
      }
      case ExprKind::Attribute:
        aw = expr(s, static_cast<AttributeExpr*>(e)->value.get());
        break;
      case ExprKind::Subscript: {
        auto* x = static_cast<SubscriptExpr*>(e);
        aw = expr(s, x->value.get());
        aw |= expr(s, x->index.get());
        break;
      }
      case ExprKind::Slice: {
        auto* x = static_cast<SliceExpr*>(e);
        aw = expr(s, x->lower.get());
        aw |= expr(s, x->upper.get());
        aw |= expr(s, x->step.get());
        break;
      }
      case ExprKind::Call: {
        auto* x = static_cast<CallExpr*>(e);
        aw = expr(s, x->func.get());
        for (auto& a : x->args)
          aw |= expr(s, a.get());
        for (auto& k : x->keywords)
          aw |= expr(s, k.value.get());
        break;
      }
      case ExprKind::BinOp: {
        auto* x = static_cast<BinOpExpr*>(e);
        aw = expr(s, x->left.get());
        aw |= expr(s, x->right.get());
        break;
      }
      case ExprKind::UnaryOp:
        aw = expr(s, static_cast<UnaryOpExpr*>(e)->operand.get());
        break;
      case ExprKind::BoolOp:
        for (auto& v : static_cast<BoolOpExpr*>(e)->values)
          aw |= expr(s, v.get());
        break;
      case ExprKind::Compare: {
        auto* x = static_cast<CompareExpr*>(e);
        aw = expr(s, x->left.get());
        for (auto& c : x->comparators)
          aw |= expr(s, c.get());
        break;
      }
      case ExprKind::IfExp: {
        auto* x = static_cast<IfExpExpr*>(e);
        aw = expr(s, x->test.get());
        aw |= expr(s, x->body.get());
        aw |= expr(s, x->orelse.get());
        break;
      }
      case ExprKind::Lambda: {
        auto* x = static_cast<LambdaExpr*>(e);
        for (auto& d : x->args.defaults)
          aw |= expr(s, d.get());
        for (auto& d : x->args.kw_defaults)
          aw |= expr(s, d.get());
        ScopeInfo* ls = new_scope(ScopeInfo::Type::Function, "<lambda>", s);
        params(ls, x->args);
        if (expr(ls, x->body.get()))
          error(x->body->pos, "'await' outside async function");
        x->scope_info = std::shared_ptr<void>(ls, [](void*) {});
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set:
        for (auto& v : static_cast<SequenceExpr*>(e)->elts)
          aw |= expr(s, v.get());
        break;
      case ExprKind::Dict: {
        auto* x = static_cast<DictExpr*>(e);
        for (auto& k : x->keys)
          aw |= expr(s, k.get());
        for (auto& v : x->values)
          aw |= expr(s, v.get());
        break;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp: {
        auto* x = static_cast<ComprehensionExpr*>(e);
        // The first iterable is evaluated in the enclosing scope.
        aw = expr(s, x->generators.front().iter.get());
        const char* nm = e->kind == ExprKind::ListComp   ? "<listcomp>"
                         : e->kind == ExprKind::SetComp  ? "<setcomp>"
                         : e->kind == ExprKind::DictComp ? "<dictcomp>"
                                                         : "<genexpr>";
        ScopeInfo* cs = new_scope(ScopeInfo::Type::Comprehension, nm, s);
        cs->is_async = s->is_async;
        bool inner = false;
        for (std::size_t i = 0; i < x->generators.size(); ++i) {
          auto& g = x->generators[i];
          if (i > 0)
            inner |= expr(cs, g.iter.get());
          inner |= expr(cs, g.target.get());
          for (auto& c : g.ifs)
            inner |= expr(cs, c.get());
          inner |= g.is_async;
        }
        inner |= expr(cs, x->elt.get());
        inner |= expr(cs, x->value.get());
        if (inner && e->kind == ExprKind::GeneratorExp)
          error(e->pos, "not supported by loopscope: asynchronous generator expressions");
        aw |= inner;
        x->scope_info = std::shared_ptr<void>(cs, [](void*) {});
        break;
      }
      case ExprKind::Await:
        if (s->type == ScopeInfo::Type::Module ||
            (!s->is_async && s->type != ScopeInfo::Type::Comprehension))
          error(e->pos, s->type == ScopeInfo::Type::Module ? "'await' outside function"
                                                           : "'await' outside async function");
        if (s->type == ScopeInfo::Type::Comprehension && !s->is_async)
          error(e->pos, "'await' outside async function");
        expr(s, static_cast<AwaitExpr*>(e)->value.get());
        aw = true;
        break;
      case ExprKind::JoinedStr:
        for (auto& v : static_cast<JoinedStrExpr*>(e)->values)
          aw |= expr(s, v.get());
        break;
      case ExprKind::FormattedValue: {
        auto* x = static_cast<FormattedValueExpr*>(e);
        aw = expr(s, x->value.get());
        aw |= expr(s, x->format_spec.get());
        break;
      }
      case ExprKind::Starred:
        aw = expr(s, static_cast<StarredExpr*>(e)->value.get());
        break;
      case ExprKind::NamedExpr: {
        auto* x = static_cast<NamedExpr*>(e);
        aw = expr(s, x->value.get());
        // := in a comprehension binds in the enclosing function scope.
        ScopeInfo* target = s;
        while (target->type == ScopeInfo::Type::Comprehension && target->parent != nullptr)
          target = target->parent;
        auto* n = static_cast<NameExpr*>(x->target.get());
        if (target != s) {
          target->assigned.insert(n->id);
          s->used.insert(n->id);  // resolved as free/global from the comprehension
          s->names.push_back(n);
          n->ctx = Ctx::Store;
          named_in_comp_.push_back({s, n});
        } else {
          expr(s, x->target.get());
        }
        break;
      }
    }
    e->has_await = aw;
    return aw;
  }

  void params(ScopeInfo* s, const Arguments& a)
  {
    for (const Arg& p : a.args)
      s->params.push_back(p.name);
    if (a.vararg)
      s->params.push_back(a.vararg->name);
    for (const Arg& p : a.kwonlyargs)
      s->params.push_back(p.name);
    if (a.kwarg)
      s->params.push_back(a.kwarg->name);
    for (const auto& p : s->params)
      s->assigned.insert(p);
  }

  bool body(ScopeInfo* s, Body& b, int loop_depth)
  {
    bool aw = false;
    for (auto& st : b)
      aw |= stmt(s, st.get(), loop_depth);
    return aw;
  }

  bool stmt(ScopeInfo* s, Stmt* st, int loops)
  {
    bool aw = false;
    switch (st->kind) {
      case StmtKind::Expr:
        aw = expr(s, static_cast<ExprStmt*>(st)->value.get());
        break;
      case StmtKind::Assign: {
        auto* x = static_cast<AssignStmt*>(st);
        aw = expr(s, x->value.get());
        for (auto& t : x->targets)
          aw |= expr(s, t.get());
        break;
      }
      case StmtKind::AugAssign: {
        auto* x = static_cast<AugAssignStmt*>(st);
        aw = expr(s, x->value.get());
        aw |= expr(s, x->target.get());
        if (x->target->kind == ExprKind::Name)
          s->used.insert(static_cast<NameExpr*>(x->target.get())->id);
        break;
      }
      case StmtKind::AnnAssign: {
        auto* x = static_cast<AnnAssignStmt*>(st);
        aw = expr(s, x->value.get());
        if (x->value)
          aw |= expr(s, x->target.get());
        else if (x->target->kind == ExprKind::Name && s->type != ScopeInfo::Type::Module)
          bind(s, static_cast<NameExpr*>(x->target.get())->id);
        break;
      }
      case StmtKind::Return:
        if (s->type != ScopeInfo::Type::Function)
          error(st->pos, "'return' outside function");
        aw = expr(s, static_cast<ReturnStmt*>(st)->value.get());
        break;
      case StmtKind::Delete:
        for (auto& t : static_cast<DeleteStmt*>(st)->targets)
          aw |= expr(s, t.get());
        break;
      case StmtKind::Pass:
        break;
      case StmtKind::Break:
        if (loops == 0)
          error(st->pos, "'break' outside loop");
        break;
      case StmtKind::Continue:
        if (loops == 0)
          error(st->pos, "'continue' not properly in loop");
        break;
      case StmtKind::If: {
        auto* x = static_cast<IfStmt*>(st);
        aw = expr(s, x->test.get());
        aw |= body(s, x->body, loops);
        aw |= body(s, x->orelse, loops);
        break;
      }
      case StmtKind::While: {
        auto* x = static_cast<WhileStmt*>(st);
        aw = expr(s, x->test.get());
        aw |= body(s, x->body, loops + 1);
        aw |= body(s, x->orelse, loops);
        break;
      }
      case StmtKind::For: {
        auto* x = static_cast<ForStmt*>(st);
        if (x->is_async && !s->is_async)
          error(st->pos, "'async for' outside async function");
        aw = x->is_async;
        aw |= expr(s, x->iter.get());
        aw |= expr(s, x->target.get());
        aw |= body(s, x->body, loops + 1);
        aw |= body(s, x->orelse, loops);
        break;
      }
      case StmtKind::With: {
        auto* x = static_cast<WithStmt*>(st);
        if (x->is_async && !s->is_async)
          error(st->pos, "'async with' outside async function");
        aw = x->is_async;
        for (auto& it : x->items) {
          aw |= expr(s, it.context_expr.get());
          aw |= expr(s, it.optional_vars.get());
        }
        aw |= body(s, x->body, loops);
        break;
      }
      case StmtKind::Try: {
        auto* x = static_cast<TryStmt*>(st);
        aw = body(s, x->body, loops);
        for (auto& h : x->handlers) {
          aw |= expr(s, h.type.get());
          if (!h.name.empty())
            bind(s, h.name);
          aw |= body(s, h.body, loops);
        }
        aw |= body(s, x->orelse, loops);
        aw |= body(s, x->finalbody, loops);
        break;
      }
      case StmtKind::Raise: {
        auto* x = static_cast<RaiseStmt*>(st);
        aw = expr(s, x->exc.get());
        aw |= expr(s, x->cause.get());
        break;
      }
      case StmtKind::Assert: {
        auto* x = static_cast<AssertStmt*>(st);
        aw = expr(s, x->test.get());
        aw |= expr(s, x->msg.get());
        break;
      }
      case StmtKind::Import:
        for (auto& a : static_cast<ImportStmt*>(st)->names) {
          const std::string& nm = a.asname.empty() ? a.name.substr(0, a.name.find('.')) : a.asname;
          bind(s, nm);
        }
        break;
      case StmtKind::ImportFrom:
        for (auto& a : static_cast<ImportFromStmt*>(st)->names)
          if (a.name != "*")
            bind(s, a.asname.empty() ? a.name : a.asname);
        break;
      case StmtKind::Global:
        for (auto& n : static_cast<NamesStmt*>(st)->names)
          s->globals.insert(n);
        break;
      case StmtKind::Nonlocal:
        if (s->type == ScopeInfo::Type::Module)
          error(st->pos, "nonlocal declaration not allowed at module level");
        for (auto& n : static_cast<NamesStmt*>(st)->names)
          s->nonlocals.insert(n);
        break;
      case StmtKind::FunctionDef: {
        auto* x = static_cast<FunctionDefStmt*>(st);
        for (auto& d : x->decorators)
          aw |= expr(s, d.get());
        for (auto& d : x->args.defaults)
          aw |= expr(s, d.get());
        for (auto& d : x->args.kw_defaults)
          aw |= expr(s, d.get());
        bind(s, x->name);
        ScopeInfo* fs = new_scope(ScopeInfo::Type::Function, x->name, s);
        fs->is_async = x->is_async;
        params(fs, x->args);
        body(fs, x->body, 0);
        x->scope_info = std::shared_ptr<void>(fs, [](void*) {});
        break;
      }
      case StmtKind::ClassDef: {
        auto* x = static_cast<ClassDefStmt*>(st);
        for (auto& d : x->decorators)
          aw |= expr(s, d.get());
        for (auto& b : x->bases)
          aw |= expr(s, b.get());
        for (auto& k : x->keywords)
          aw |= expr(s, k.value.get());
        bind(s, x->name);
        ScopeInfo* cs = new_scope(ScopeInfo::Type::Class, x->name, s);
        if (body(cs, x->body, 0))
          error(st->pos, "'await' outside function");
        x->scope_info = std::shared_ptr<void>(cs, [](void*) {});
        break;
      }
    }
    st->has_await = aw;
    return aw;
  }

  // ---- pass 2: decide where each name lives
  static bool is_function_like(const ScopeInfo* s)
  {
    return s->type == ScopeInfo::Type::Function || s->type == ScopeInfo::Type::Comprehension;
  }

  // True if `name` is a local (non-global) binding of function scope `s`.
  static bool binds_locally(const ScopeInfo* s, const std::string& name)
  {
    return is_function_like(s) && s->assigned.count(name) != 0 && s->globals.count(name) == 0 &&
           s->nonlocals.count(name) == 0;
  }

  int cell_slot(ScopeInfo* s, const std::string& name)
  {
    auto it = s->cell_index.find(name);
    if (it != s->cell_index.end())
      return it->second;
    const int slot = static_cast<int>(s->cell_names.size());
    s->cell_names.push_back(name);
    s->cell_index[name] = slot;
    return slot;
  }

  // Marks `name` free in `s` (and every function scope between `s` and the binding scope).
  // Returns false when no enclosing function binds it (it is then global).
  bool make_free(ScopeInfo* s, const std::string& name)
  {
    for (ScopeInfo* p = s->parent; p != nullptr; p = p->parent) {
      if (p->type == ScopeInfo::Type::Class)
        continue;
      if (p->type == ScopeInfo::Type::Module)
        return false;
      if (binds_locally(p, name)) {
        captured_[p].insert(name);
        for (ScopeInfo* q = s; q != p; q = q->parent)
          if (q->type != ScopeInfo::Type::Class)
            free_[q].insert(name);
          else
            free_[q].insert(name);
        return true;
      }
      if (p->nonlocals.count(name) != 0) {
        // p itself has it free; keep going up.
        continue;
      }
    }
    return false;
  }

  void analyse(ScopeInfo* s)
  {
    for (const auto& n : s->nonlocals) {
      if (!make_free(s, n))
        error(Pos{}, "no binding for nonlocal '" + n + "' found");
    }
    std::unordered_set<std::string> all = s->used;
    all.insert(s->assigned.begin(), s->assigned.end());
    for (const auto& n : all) {
      if (s->globals.count(n) != 0 || s->nonlocals.count(n) != 0)
        continue;
      if (binds_locally(s, n))
        continue;
      if (s->type == ScopeInfo::Type::Class && s->assigned.count(n) != 0)
        continue;
      if (s->type != ScopeInfo::Type::Module)
        make_free(s, n);
    }
    for (ScopeInfo* c : s->children)
      analyse(c);
  }

  void layout(ScopeInfo* s)
  {
    // Own cells first (captured locals), then free variables.
    if (is_function_like(s)) {
      for (const auto& p : s->params) {
        if (s->fast_index.count(p) == 0) {
          s->fast_index[p] = static_cast<int>(s->fast_names.size());
          s->fast_names.push_back(p);
        }
      }
      for (const auto& n : captured_[s])
        cell_slot(s, n);
    }
    s->ncellvars = static_cast<int>(s->cell_names.size());
    for (const auto& n : free_[s])
      if (s->cell_index.count(n) == 0)
        cell_slot(s, n);
    if (is_function_like(s)) {
      for (const auto& p : s->params) {
        auto it = s->cell_index.find(p);
        if (it != s->cell_index.end() && it->second < s->ncellvars)
          s->param_cells.emplace_back(s->fast_index[p], it->second);
      }
    }
    for (NameExpr* n : s->names) {
      const std::string& id = n->id;
      if (s->globals.count(id) != 0) {
        n->scope = static_cast<std::uint8_t>(NameScope::Global);
      } else if (auto it = s->cell_index.find(id);
                 it != s->cell_index.end() &&
                 (s->type != ScopeInfo::Type::Class || s->assigned.count(id) == 0)) {
        n->scope = static_cast<std::uint8_t>(NameScope::Deref);
        n->slot = it->second;
      } else if (s->type == ScopeInfo::Type::Class) {
        n->scope = static_cast<std::uint8_t>(NameScope::Class);
      } else if (binds_locally(s, id)) {
        auto fit = s->fast_index.find(id);
        if (fit == s->fast_index.end()) {
          s->fast_index[id] = static_cast<int>(s->fast_names.size());
          s->fast_names.push_back(id);
          fit = s->fast_index.find(id);
        }
        n->scope = static_cast<std::uint8_t>(NameScope::Fast);
        n->slot = fit->second;
      } else {
        n->scope = static_cast<std::uint8_t>(NameScope::Global);
      }
    }
    for (ScopeInfo* c : s->children)
      layout(c);
  }

  std::unordered_map<ScopeInfo*, std::set<std::string>> captured_, free_;
  std::vector<std::pair<ScopeInfo*, NameExpr*>> named_in_comp_;
};

}  // namespace

ScopeInfo* resolve(Module& m, std::vector<std::unique_ptr<ScopeInfo>>& scopes)
{
  Resolver r{scopes, m.filename, {}, {}, {}};
  ScopeInfo* top = r.new_scope(ScopeInfo::Type::Module, "<module>", nullptr);
  r.body(top, m.body, 0);
  r.analyse(top);
  r.layout(top);
  return top;
}

}  // namespace loopscope::script
