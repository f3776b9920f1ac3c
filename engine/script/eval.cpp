// SPDX-License-Identifier: GPL-3.0-or-later
// The evaluator: statements and expressions, calls, attributes, classes, exceptions, and the
// coroutine paths used where a statement contains `await`.

#include "engine/future.h"
#include "engine/script/frame.h"
#include "engine/script/interp.h"
#include "engine/script/resolver.h"
#include "engine/task.h"

#include <algorithm>
#include <cstring>

namespace loopscope::script {

using engine::Coro;

enum class Flow : std::uint8_t { Normal, Break, Continue, Return };

namespace {

constexpr int kMaxDepth = 900;
// Coroutines awaiting coroutines, nested (see Interp::run_coroutine).
constexpr int kMaxAwaitDepth = 250;
thread_local int g_depth = 0;

struct DepthGuard
{
  Interp& in;
  explicit DepthGuard(Interp& i) : in(i)
  {
    const int limit = in.config.sandbox.max_depth > 0
                          ? std::min(in.config.sandbox.max_depth, kMaxDepth)
                          : kMaxDepth;
    if (++g_depth > limit) {
      --g_depth;
      in.raise(in.e.RecursionError, "maximum recursion depth exceeded");
    }
  }
  ~DepthGuard() { --g_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

std::string scope_name(const Frame& f)
{
  if (f.scope == nullptr || f.scope->type == ScopeInfo::Type::Module)
    return "<module>";
  return f.scope->name;
}

}  // namespace

struct Evaluator
{
  Interp& in;

  // ---------------------------------------------------------------- errors and tracebacks

  [[noreturn]] void not_supported(const std::string& what)
  {
    in.raise(in.e.NotSupported, "not supported by loopscope: " + what);
  }

  // Adds the frame's current line to an exception's traceback. As in CPython, a frame gets its
  // entry where the exception arises in it or passes through it, once: when the exception is
  // caught there (before the except clauses move the line), or when it leaves the frame,
  // whichever comes first; so a bare `raise` keeps the line the exception came from. `force`
  // adds another entry all the same (an explicit `raise e` of an exception that has one).
  void note_traceback(Frame& f, const Value& exc, bool force = false)
  {
    auto* e = exc.as<ExceptionObject>();
    if (e == nullptr)
      return;
    if (!force && !e->traceback.empty() && e->traceback.back().frame == &f)
      return;
    e->traceback.push_back(
        {f.filename ? *f.filename : std::string("<script>"), f.line, scope_name(f), &f});
  }

  // ---------------------------------------------------------------- names

  Value load_global(Frame& f, const std::string& id, Pos pos)
  {
    auto it = f.module->dict.find(id);
    if (it != f.module->dict.end())
      return it->second;
    auto bit = in.builtins().find(id);
    if (bit != in.builtins().end())
      return bit->second;
    f.line = pos.line;
    in.raise(in.e.NameError, "name '" + id + "' is not defined");
  }

  Value load_name(Frame& f, const NameExpr* n)
  {
    switch (static_cast<NameScope>(n->scope)) {
      case NameScope::Fast: {
        const Value& v = f.fast[static_cast<std::size_t>(n->slot)];
        if (v.tag() == Value::Tag::Obj && v.obj() == in.unbound.obj())
          in.raise(in.e.UnboundLocalError, "cannot access local variable '" + n->id +
                                               "' where it is not associated with a value");
        return v;
      }
      case NameScope::Deref: {
        auto* c = f.cells[static_cast<std::size_t>(n->slot)].as<CellObject>();
        if (!c->bound) {
          if (n->slot < f.scope->ncellvars)
            in.raise(in.e.UnboundLocalError, "cannot access local variable '" + n->id +
                                                 "' where it is not associated with a value");
          in.raise(in.e.NameError, "cannot access free variable '" + n->id +
                                       "' where it is not associated with a value in enclosing "
                                       "scope");
        }
        return c->value;
      }
      case NameScope::Class: {
        auto it = f.class_ns->find(n->id);
        if (it != f.class_ns->end())
          return it->second;
        return load_global(f, n->id, n->pos);
      }
      default:
        return load_global(f, n->id, n->pos);
    }
  }

  void store_name(Frame& f, const NameExpr* n, Value v)
  {
    switch (static_cast<NameScope>(n->scope)) {
      case NameScope::Fast:
        f.fast[static_cast<std::size_t>(n->slot)] = std::move(v);
        return;
      case NameScope::Deref: {
        auto* c = f.cells[static_cast<std::size_t>(n->slot)].as<CellObject>();
        c->value = std::move(v);
        c->bound = true;
        return;
      }
      case NameScope::Class:
        (*f.class_ns)[n->id] = std::move(v);
        return;
      default:
        f.module->dict[n->id] = std::move(v);
        return;
    }
  }

  void delete_name(Frame& f, const NameExpr* n)
  {
    auto unbound = [&] {
      in.raise(in.e.NameError, "name '" + n->id + "' is not defined");
    };
    switch (static_cast<NameScope>(n->scope)) {
      case NameScope::Fast: {
        Value& v = f.fast[static_cast<std::size_t>(n->slot)];
        if (v.is_obj() && v.obj() == in.unbound.obj())
          in.raise(in.e.UnboundLocalError, "cannot access local variable '" + n->id +
                                               "' where it is not associated with a value");
        v = in.unbound;
        return;
      }
      case NameScope::Deref: {
        auto* c = f.cells[static_cast<std::size_t>(n->slot)].as<CellObject>();
        if (!c->bound)
          unbound();
        c->bound = false;
        c->value = Value();
        return;
      }
      case NameScope::Class:
        if (f.class_ns->erase(n->id) == 0)
          unbound();
        return;
      default:
        if (f.module->dict.erase(n->id) == 0)
          unbound();
        return;
    }
  }

  // ---------------------------------------------------------------- expressions (sync)

  Value constant(const ConstantExpr* c)
  {
    switch (c->value_kind) {
      case ConstKind::None:
        return {};
      case ConstKind::True:
        return Value(true);
      case ConstKind::False:
        return Value(false);
      case ConstKind::Ellipsis:
        return in.builtins()["Ellipsis"];
      case ConstKind::Int:
        return Value::from_int(c->i);
      case ConstKind::Float:
        return Value::from_float(c->f);
      case ConstKind::Str:
        return in.str(c->s);
      case ConstKind::Bytes:
        return in.bytes(c->s);
    }
    return {};
  }

  Value eval(Frame& f, const Expr* e)
  {
    switch (e->kind) {
      case ExprKind::Constant:
        return constant(static_cast<const ConstantExpr*>(e));
      case ExprKind::Name:
        return load_name(f, static_cast<const NameExpr*>(e));
      case ExprKind::Attribute: {
        auto* x = static_cast<const AttributeExpr*>(e);
        Value obj = eval(f, x->value.get());
        return in.getattr(obj, x->attr);
      }
      case ExprKind::Subscript: {
        auto* x = static_cast<const SubscriptExpr*>(e);
        Value obj = eval(f, x->value.get());
        Value key = eval(f, x->index.get());
        return in.getitem(obj, key);
      }
      case ExprKind::Slice: {
        auto* x = static_cast<const SliceExpr*>(e);
        Value lo = x->lower ? eval(f, x->lower.get()) : Value();
        Value hi = x->upper ? eval(f, x->upper.get()) : Value();
        Value st = x->step ? eval(f, x->step.get()) : Value();
        Value s = make<SliceObject>(lo, hi, st);
        s.obj()->type = in.t.slice;
        return s;
      }
      case ExprKind::Call:
        return call_expr(f, static_cast<const CallExpr*>(e), nullptr);
      case ExprKind::BinOp: {
        auto* x = static_cast<const BinOpExpr*>(e);
        Value a = eval(f, x->left.get());
        Value b = eval(f, x->right.get());
        return in.binop(x->op, a, b);
      }
      case ExprKind::UnaryOp:
        return unary(static_cast<const UnaryOpExpr*>(e)->op,
                     eval(f, static_cast<const UnaryOpExpr*>(e)->operand.get()));
      case ExprKind::BoolOp: {
        auto* x = static_cast<const BoolOpExpr*>(e);
        Value v;
        for (const auto& sub : x->values) {
          v = eval(f, sub.get());
          if (in.truthy(v) != x->is_and)
            return v;
        }
        return v;
      }
      case ExprKind::Compare: {
        auto* x = static_cast<const CompareExpr*>(e);
        Value left = eval(f, x->left.get());
        for (std::size_t i = 0; i < x->ops.size(); ++i) {
          Value right = eval(f, x->comparators[i].get());
          if (!compare(x->ops[i], left, right))
            return Value(false);
          left = std::move(right);
        }
        return Value(true);
      }
      case ExprKind::IfExp: {
        auto* x = static_cast<const IfExpExpr*>(e);
        return in.truthy(eval(f, x->test.get())) ? eval(f, x->body.get())
                                                 : eval(f, x->orelse.get());
      }
      case ExprKind::Lambda:
        return make_function(f, static_cast<const LambdaExpr*>(e));
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set: {
        auto* x = static_cast<const SequenceExpr*>(e);
        std::vector<Value> items;
        items.reserve(x->elts.size());
        for (const auto& el : x->elts) {
          if (el->kind == ExprKind::Starred) {
            for (Value& v : in.to_vector(eval(f, static_cast<StarredExpr*>(el.get())->value.get())))
              items.push_back(std::move(v));
          } else {
            items.push_back(eval(f, el.get()));
          }
        }
        return display(e->kind, std::move(items));
      }
      case ExprKind::Dict: {
        auto* x = static_cast<const DictExpr*>(e);
        Value d = in.dict();
        for (std::size_t i = 0; i < x->keys.size(); ++i) {
          if (!x->keys[i]) {
            merge_mapping(d, eval(f, x->values[i].get()));
            continue;
          }
          Value k = eval(f, x->keys[i].get());
          Value v = eval(f, x->values[i].get());
          in.setitem(d, k, std::move(v));
        }
        return d;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp:
        return comprehension(f, static_cast<const ComprehensionExpr*>(e));
      case ExprKind::Await:
        in.raise(in.e.RuntimeError, "internal error: await evaluated synchronously");
      case ExprKind::JoinedStr: {
        auto* x = static_cast<const JoinedStrExpr*>(e);
        std::string out;
        for (const auto& part : x->values) {
          if (part->kind == ExprKind::Constant) {
            out += static_cast<const ConstantExpr*>(part.get())->s;
          } else {
            auto* fv = static_cast<const FormattedValueExpr*>(part.get());
            out += formatted(fv, eval(f, fv->value.get()),
                             fv->format_spec ? spec_text(eval(f, fv->format_spec.get())) : "");
          }
        }
        return in.str(std::move(out));
      }
      case ExprKind::FormattedValue: {
        auto* fv = static_cast<const FormattedValueExpr*>(e);
        return in.str(formatted(fv, eval(f, fv->value.get()),
                                fv->format_spec ? spec_text(eval(f, fv->format_spec.get())) : ""));
      }
      case ExprKind::Starred:
        in.raise(in.e.SyntaxError, "can't use starred expression here");
      case ExprKind::NamedExpr: {
        auto* x = static_cast<const NamedExpr*>(e);
        Value v = eval(f, x->value.get());
        assign_named(f, x, v);
        return v;
      }
    }
    return {};
  }

  void assign_named(Frame& f, const NamedExpr* x, const Value& v)
  {
    auto* n = static_cast<const NameExpr*>(x->target.get());
    if (f.scope->type == ScopeInfo::Type::Comprehension &&
        static_cast<NameScope>(n->scope) == NameScope::Global) {
      f.module->dict[n->id] = v;
      return;
    }
    store_name(f, n, v);
  }

  std::string spec_text(const Value& v)
  {
    auto* s = v.as<StrObject>();
    return s ? s->s : in.to_str(v);
  }

  std::string formatted(const FormattedValueExpr* fv, const Value& v, const std::string& spec)
  {
    Value shown = v;
    if (fv->conversion == 'r')
      shown = in.str(in.repr(v));
    else if (fv->conversion == 's')
      shown = in.str(in.to_str(v));
    else if (fv->conversion == 'a')
      shown = in.call(in.builtins()["ascii"], std::vector<Value>{v});
    if (spec.empty() && shown.as<StrObject>() != nullptr)
      return shown.as<StrObject>()->s;
    if (spec.empty() && fv->conversion == 0)
      return in.to_str(shown);
    Value r = in.call(in.builtins()["format"], std::vector<Value>{shown, in.str(spec)});
    return spec_text(r);
  }

  Value display(ExprKind k, std::vector<Value> items)
  {
    if (k == ExprKind::List)
      return in.list(std::move(items));
    if (k == ExprKind::Tuple)
      return in.tuple(std::move(items));
    Value s = in.call(Value(static_cast<Object*>(in.t.set)), std::vector<Value>{});
    Value add = in.getattr(s, "add");
    for (Value& v : items)
      in.call(add, std::vector<Value>{std::move(v)});
    return s;
  }

  void merge_mapping(Value& d, const Value& m)
  {
    Value update = in.getattr(d, "update");
    in.call(update, std::vector<Value>{m});
  }

  Value unary(UnaryOpKind op, const Value& v)
  {
    switch (op) {
      case UnaryOpKind::Not:
        return Value(!in.truthy(v));
      case UnaryOpKind::USub:
        if (v.is_intlike()) {
          if (v.as_int() == INT64_MIN)
            in.raise(in.e.OverflowError, "integer overflow (loopscope ints are 64-bit)");
          return Value::from_int(-v.as_int());
        }
        if (v.is_float())
          return Value::from_float(-v.as_float());
        return dunder_unary(v, "__neg__", "-");
      case UnaryOpKind::UAdd:
        if (v.is_intlike())
          return Value::from_int(v.as_int());
        if (v.is_float())
          return v;
        return dunder_unary(v, "__pos__", "+");
      case UnaryOpKind::Invert:
        if (v.is_intlike())
          return Value::from_int(~v.as_int());
        return dunder_unary(v, "__invert__", "~");
    }
    return {};
  }

  Value dunder_unary(const Value& v, const char* name, const char* sym)
  {
    if (const Value* m = in.type_of(v)->lookup(name))
      return in.call(*m, std::vector<Value>{v});
    in.raise(in.e.TypeError,
             std::string("bad operand type for unary ") + sym + ": '" + in.type_name(v) + "'");
  }

  bool compare(CmpOpKind op, const Value& a, const Value& b)
  {
    switch (op) {
      case CmpOpKind::Eq:
        return in.eq(a, b);
      case CmpOpKind::NotEq:
        if (const Value* m = in.type_of(a)->lookup("__ne__"); m && !in.type_of(a)->is_builtin)
          return in.truthy(in.call(*m, std::vector<Value>{a, b}));
        return !in.eq(a, b);
      case CmpOpKind::Lt:
        return in.lt(a, b);
      case CmpOpKind::Gt:
        return in.lt(b, a);
      case CmpOpKind::LtE:
        return ordered(a, b, "__le__", "<=");
      case CmpOpKind::GtE:
        return ordered(b, a, "__le__", ">=");
      case CmpOpKind::Is:
        return a.identical(b);
      case CmpOpKind::IsNot:
        return !a.identical(b);
      case CmpOpKind::In:
        return in.contains(b, a);
      case CmpOpKind::NotIn:
        return !in.contains(b, a);
    }
    return false;
  }

  bool ordered(const Value& a, const Value& b, const char* dunder, const char*)
  {
    // a <= b  ==  not (b < a) for total orders; user classes may define __le__/__ge__.
    const TypeObject* ta = in.type_of(a);
    if (!ta->is_builtin) {
      if (const Value* m = ta->lookup(dunder))
        return in.truthy(in.call(*m, std::vector<Value>{a, b}));
    }
    if (a.is_float() && a.as_float() != a.as_float())
      return false;
    if (b.is_float() && b.as_float() != b.as_float())
      return false;
    return in.lt(a, b) || in.eq(a, b);
  }

  // ---------------------------------------------------------------- calls

  CallArgs gather_args(Frame& f, const CallExpr* c)
  {
    CallArgs a;
    a.args.reserve(c->args.size());
    for (const auto& x : c->args) {
      if (x->kind == ExprKind::Starred) {
        for (Value& v : in.to_vector(eval(f, static_cast<StarredExpr*>(x.get())->value.get())))
          a.args.push_back(std::move(v));
      } else {
        a.args.push_back(eval(f, x.get()));
      }
    }
    for (const auto& k : c->keywords) {
      Value v = eval(f, k.value.get());
      if (k.arg.empty())
        spread_kwargs(a, v);
      else
        a.kwargs.emplace_back(k.arg, std::move(v));
    }
    return a;
  }

  void spread_kwargs(CallArgs& a, const Value& m)
  {
    Value items = in.call(in.getattr(m, "items"), std::vector<Value>{});
    for (const Value& kv : in.to_vector(items)) {
      auto* t = kv.as<TupleObject>();
      auto* k = t ? t->items[0].as<StrObject>() : nullptr;
      if (k == nullptr)
        in.raise(in.e.TypeError, "keywords must be strings");
      a.kwargs.emplace_back(k->s, t->items[1]);
    }
  }

  Value call_expr(Frame& f, const CallExpr* c, CallArgs* pre)
  {
    // obj.method(...) without making a bound method for builtins and plain functions.
    Value fn = eval(f, c->func.get());
    CallArgs a = pre ? std::move(*pre) : gather_args(f, c);
    f.line = c->pos.line;
    f.col = c->pos.col;
    return in.call(fn, std::move(a));
  }

  // ---------------------------------------------------------------- functions

  Value make_function(Frame& f, const LambdaExpr* l)
  {
    auto* scope = static_cast<ScopeInfo*>(l->scope_info.get());
    Value fn = make<FunctionObject>(in.t.function, "<lambda>", &l->args, nullptr, l->body.get(),
                                    scope, false);
    init_function(f, fn.as<FunctionObject>(), l->args, scope, l->pos.line);
    return fn;
  }

  void init_function(Frame& f, FunctionObject* fn, const Arguments& args, ScopeInfo* scope,
                     std::uint32_t line)
  {
    fn->module = f.module;
    fn->qualname = scope->qualname;
    fn->line = line;
    for (const auto& d : args.defaults)
      fn->defaults.push_back(eval(f, d.get()));
    for (const auto& d : args.kw_defaults) {
      fn->kw_has_default.push_back(static_cast<bool>(d));
      fn->kw_defaults.push_back(d ? eval(f, d.get()) : Value());
    }
    for (int i = scope->ncellvars; i < static_cast<int>(scope->cell_names.size()); ++i) {
      const std::string& name = scope->cell_names[static_cast<std::size_t>(i)];
      auto it = f.scope->cell_index.find(name);
      if (it == f.scope->cell_index.end())
        in.raise(in.e.RuntimeError, "internal error: free variable '" + name + "' not found");
      fn->closure.push_back(f.cells[static_cast<std::size_t>(it->second)]);
    }
  }

  // Binds a call's arguments into a new frame for `fn`.
  std::unique_ptr<Frame> bind(FunctionObject* fn, CallArgs& a)
  {
    auto fr = std::make_unique<Frame>();
    ScopeInfo* s = fn->scope;
    fr->scope = s;
    fr->func = fn;
    fr->module = fn->module;
    fr->filename = fn->module->filename != nullptr ? fn->module->filename : &main_filename();
    fr->line = fn->line;
    fr->fast.resize(s->fast_names.size());
    const Arguments& p = *fn->args;
    const std::size_t npos = p.args.size();
    const std::string& qn = fn->qualname;
    std::vector<bool> set(npos + p.kwonlyargs.size(), false);
    // positional
    std::size_t i = 0;
    for (; i < a.args.size() && i < npos; ++i) {
      fr->fast[i] = std::move(a.args[i]);
      set[i] = true;
    }
    if (a.args.size() > npos) {
      if (p.vararg) {
        std::vector<Value> rest(std::make_move_iterator(a.args.begin() + static_cast<long>(npos)),
                                std::make_move_iterator(a.args.end()));
        fr->fast[npos] = in.tuple(std::move(rest));
      } else {
        const std::size_t required = npos - fn->defaults.size();
        std::string takes = fn->defaults.empty() ? std::to_string(npos)
                                                 : "from " + std::to_string(required) + " to " +
                                                       std::to_string(npos);
        in.raise(in.e.TypeError, qn + "() takes " + takes + " positional argument" +
                                     (npos == 1 && fn->defaults.empty() ? "" : "s") + " but " +
                                     std::to_string(a.args.size()) +
                                     (a.args.size() == 1 ? " was" : " were") + " given");
      }
    } else if (p.vararg) {
      fr->fast[npos] = in.tuple();
    }
    const std::size_t kw_base = npos + (p.vararg ? 1 : 0);
    Value kwdict;
    if (p.kwarg)
      kwdict = in.dict();
    for (auto& [name, v] : a.kwargs) {
      bool found = false;
      for (std::size_t j = 0; j < npos; ++j) {
        if (p.args[j].name == name) {
          if (set[j])
            in.raise(in.e.TypeError, qn + "() got multiple values for argument '" + name + "'");
          fr->fast[j] = std::move(v);
          set[j] = true;
          found = true;
          break;
        }
      }
      if (!found) {
        for (std::size_t j = 0; j < p.kwonlyargs.size(); ++j) {
          if (p.kwonlyargs[j].name == name) {
            fr->fast[kw_base + j] = std::move(v);
            set[npos + j] = true;
            found = true;
            break;
          }
        }
      }
      if (!found) {
        if (!p.kwarg)
          in.raise(in.e.TypeError, qn + "() got an unexpected keyword argument '" + name + "'");
        in.setitem(kwdict, in.str(name), std::move(v));
      }
    }
    // defaults and missing
    const std::size_t first_default = npos - fn->defaults.size();
    std::vector<std::string> missing;
    for (std::size_t j = 0; j < npos; ++j) {
      if (set[j])
        continue;
      if (j >= first_default)
        fr->fast[j] = fn->defaults[j - first_default];
      else
        missing.push_back(p.args[j].name);
    }
    if (!missing.empty())
      raise_missing(qn, missing, "positional");
    for (std::size_t j = 0; j < p.kwonlyargs.size(); ++j) {
      if (set[npos + j])
        continue;
      if (fn->kw_has_default[j])
        fr->fast[kw_base + j] = fn->kw_defaults[j];
      else
        missing.push_back(p.kwonlyargs[j].name);
    }
    if (!missing.empty())
      raise_missing(qn, missing, "keyword-only");
    if (p.kwarg)
      fr->fast[kw_base + p.kwonlyargs.size()] = std::move(kwdict);
    // cells
    fr->cells.resize(s->cell_names.size());
    for (int c = 0; c < s->ncellvars; ++c) {
      Value cell = make<CellObject>();
      cell.obj()->type = in.t.cell;
      fr->cells[static_cast<std::size_t>(c)] = std::move(cell);
    }
    for (auto [slot, cell] : s->param_cells) {
      auto* co = fr->cells[static_cast<std::size_t>(cell)].as<CellObject>();
      co->value = std::move(fr->fast[static_cast<std::size_t>(slot)]);
      co->bound = true;
    }
    for (std::size_t c = 0; c < fn->closure.size(); ++c)
      fr->cells[static_cast<std::size_t>(s->ncellvars) + c] = fn->closure[c];
    // Unassigned locals start unbound.
    for (std::size_t j = s->params.size(); j < fr->fast.size(); ++j)
      fr->fast[j] = unbound_value();
    return fr;
  }

  Value unbound_value() { return in.unbound; }

  [[noreturn]] void raise_missing(const std::string& qn, const std::vector<std::string>& names,
                                  const char* kind)
  {
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0)
        list += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
      list += "'" + names[i] + "'";
    }
    in.raise(in.e.TypeError, qn + "() missing " + std::to_string(names.size()) + " required " +
                                 kind + " argument" + (names.size() == 1 ? "" : "s") + ": " + list);
  }

  static const std::string& main_filename();

  Value call_function(FunctionObject* fn, CallArgs& a)
  {
    std::unique_ptr<Frame> fr = bind(fn, a);
    fr->fn_ref = Value(static_cast<Object*>(fn));
    if (fn->is_async) {
      Value co = make<CoroutineObject>(in.t.coroutine, fr->fn_ref, std::move(fr));
      return co;
    }
    DepthGuard depth(in);
    in.checkpoint();  // recursion keeps the loop as busy as a loop does
    Frame* saved = current();
    fr->back = saved;
    set_current(fr.get());
    try {
      if (fn->lambda_body != nullptr) {
        Value v = eval(*fr, fn->lambda_body);
        set_current(saved);
        return v;
      }
      exec_body(*fr, *fn->body);
    } catch (PyException& x) {
      note_traceback(*fr, x.exc);
      set_current(saved);
      throw;
    } catch (...) {
      set_current(saved);
      throw;
    }
    set_current(saved);
    return std::move(fr->retval);
  }

  Frame* current();
  void set_current(Frame* f);

  // ---------------------------------------------------------------- statements (sync)

  Flow exec_body(Frame& f, const Body& b)
  {
    for (const auto& s : b) {
      Flow fl = exec(f, s.get());
      if (fl != Flow::Normal)
        return fl;
    }
    return Flow::Normal;
  }

  Flow exec(Frame& f, const Stmt* s)
  {
    f.line = s->pos.line;
    f.col = s->pos.col;
    switch (s->kind) {
      case StmtKind::Expr:
        eval(f, static_cast<const ExprStmt*>(s)->value.get());
        return Flow::Normal;
      case StmtKind::Assign: {
        auto* x = static_cast<const AssignStmt*>(s);
        Value v = eval(f, x->value.get());
        for (const auto& t : x->targets)
          assign(f, t.get(), v);
        return Flow::Normal;
      }
      case StmtKind::AugAssign: {
        auto* x = static_cast<const AugAssignStmt*>(s);
        aug_assign(f, x, eval(f, x->value.get()));
        return Flow::Normal;
      }
      case StmtKind::AnnAssign: {
        auto* x = static_cast<const AnnAssignStmt*>(s);
        if (x->value)
          assign(f, x->target.get(), eval(f, x->value.get()));
        return Flow::Normal;
      }
      case StmtKind::Return: {
        auto* x = static_cast<const ReturnStmt*>(s);
        f.retval = x->value ? eval(f, x->value.get()) : Value();
        return Flow::Return;
      }
      case StmtKind::Delete:
        for (const auto& t : static_cast<const DeleteStmt*>(s)->targets)
          del_target(f, t.get());
        return Flow::Normal;
      case StmtKind::Pass:
        return Flow::Normal;
      case StmtKind::Break:
        return Flow::Break;
      case StmtKind::Continue:
        return Flow::Continue;
      case StmtKind::If: {
        auto* x = static_cast<const IfStmt*>(s);
        return in.truthy(eval(f, x->test.get())) ? exec_body(f, x->body) : exec_body(f, x->orelse);
      }
      case StmtKind::While: {
        auto* x = static_cast<const WhileStmt*>(s);
        while (in.truthy(eval(f, x->test.get()))) {
          Flow fl = exec_body(f, x->body);
          // Where CPython checks for signals: the jump back, which it puts on the `while` line
          // (a Ctrl-C in `while True: n += 1` is reported there; in a `for` loop, on the
          // body's last line).
          f.line = s->pos.line;
          in.checkpoint();
          if (fl == Flow::Break)
            return Flow::Normal;
          if (fl == Flow::Return)
            return fl;
        }
        return exec_body(f, x->orelse);
      }
      case StmtKind::For: {
        auto* x = static_cast<const ForStmt*>(s);
        Value seq = eval(f, x->iter.get());
        return for_loop(f, x, seq);
      }
      case StmtKind::With:
        return with_sync(f, static_cast<const WithStmt*>(s), 0);
      case StmtKind::Try:
        return try_sync(f, static_cast<const TryStmt*>(s));
      case StmtKind::Raise: {
        auto* x = static_cast<const RaiseStmt*>(s);
        do_raise(f, x, x->exc ? eval(f, x->exc.get()) : Value(),
                 x->cause ? eval(f, x->cause.get()) : Value());
      }
      case StmtKind::Assert: {
        auto* x = static_cast<const AssertStmt*>(s);
        if (!in.truthy(eval(f, x->test.get()))) {
          std::vector<Value> args;
          if (x->msg)
            args.push_back(eval(f, x->msg.get()));
          in.raise_value(in.new_exception(in.e.AssertionError, std::move(args)));
        }
        return Flow::Normal;
      }
      case StmtKind::Import:
        for (const auto& a : static_cast<const ImportStmt*>(s)->names) {
          Value m = in.import_module(a.name, a.pos);
          if (!a.asname.empty()) {
            Value target = m;
            std::string rest = a.name;
            // `import a.b as c` binds the submodule
            store_simple(f, a.asname, in.import_module(a.name, a.pos));
          } else {
            const std::string top = a.name.substr(0, a.name.find('.'));
            store_simple(f, top, in.import_module(top, a.pos));
          }
        }
        return Flow::Normal;
      case StmtKind::ImportFrom: {
        auto* x = static_cast<const ImportFromStmt*>(s);
        if (x->level > 0)
          not_supported("relative imports");
        Value m = in.import_module(x->module, s->pos);
        for (const auto& a : x->names) {
          if (a.name == "*") {
            for (auto& [k, v] : m.as<ModuleObject>()->dict)
              if (!k.empty() && k[0] != '_')
                store_simple(f, k, v);
            continue;
          }
          Value v;
          if (!in.try_getattr(m, a.name, v))
            in.raise(in.e.ImportError, "cannot import name '" + a.name + "' from '" + x->module +
                                           "' (loopscope provides a subset of this module)");
          store_simple(f, a.asname.empty() ? a.name : a.asname, v);
        }
        return Flow::Normal;
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal:
        return Flow::Normal;
      case StmtKind::FunctionDef:
        def_function(f, static_cast<const FunctionDefStmt*>(s));
        return Flow::Normal;
      case StmtKind::ClassDef:
        def_class(f, static_cast<const ClassDefStmt*>(s));
        return Flow::Normal;
    }
    return Flow::Normal;
  }

  // Stores into a name bound by a statement that has no NameExpr (import, def, class).
  void store_simple(Frame& f, const std::string& name, Value v)
  {
    ScopeInfo* s = f.scope;
    if (s->type == ScopeInfo::Type::Class) {
      (*f.class_ns)[name] = std::move(v);
      return;
    }
    if (s->type != ScopeInfo::Type::Module && s->globals.count(name) == 0) {
      if (auto it = s->cell_index.find(name); it != s->cell_index.end()) {
        auto* c = f.cells[static_cast<std::size_t>(it->second)].as<CellObject>();
        c->value = std::move(v);
        c->bound = true;
        return;
      }
      if (auto it = s->fast_index.find(name); it != s->fast_index.end()) {
        f.fast[static_cast<std::size_t>(it->second)] = std::move(v);
        return;
      }
    }
    f.module->dict[name] = std::move(v);
  }

  void def_function(Frame& f, const FunctionDefStmt* d)
  {
    auto* scope = static_cast<ScopeInfo*>(d->scope_info.get());
    std::vector<Value> decos;
    for (const auto& x : d->decorators)
      decos.push_back(eval(f, x.get()));
    Value fn = make<FunctionObject>(in.t.function, d->name, &d->args, &d->body, nullptr, scope,
                                    d->is_async);
    init_function(f, fn.as<FunctionObject>(), d->args, scope, d->pos.line);
    if (!d->docstring.empty())
      fn.as<FunctionObject>()->dict["__doc__"] = in.str(d->docstring);
    for (auto it = decos.rbegin(); it != decos.rend(); ++it)
      fn = in.call(*it, std::vector<Value>{fn});
    store_simple(f, d->name, std::move(fn));
  }

  void def_class(Frame& f, const ClassDefStmt* c)
  {
    auto* scope = static_cast<ScopeInfo*>(c->scope_info.get());
    std::vector<Value> decos;
    for (const auto& x : c->decorators)
      decos.push_back(eval(f, x.get()));
    std::vector<Value> bases;
    for (const auto& b : c->bases)
      bases.push_back(eval(f, b.get()));
    for (const auto& k : c->keywords)
      if (k.arg != "metaclass")
        not_supported("class keyword '" + k.arg + "'");
      else
        not_supported("metaclasses");
    std::vector<TypeObject*> base_types;
    for (const Value& b : bases) {
      auto* t = b.as<TypeObject>();
      if (t == nullptr)
        in.raise(in.e.TypeError, "bases must be types");
      base_types.push_back(t);
    }
    if (base_types.empty())
      base_types.push_back(in.t.object);
    auto* type = new TypeObject(c->name, base_types);
    Value tv(static_cast<Object*>(type));
    type->type = in.t.type;
    type->module = "__main__";
    type->is_builtin = false;
    type->owned_bases = bases;
    type->instance_kind = Kind::Instance;
    for (TypeObject* b : base_types) {
      if (b->is_exception) {
        type->is_exception = true;
        type->instance_kind = Kind::Exception;
      }
      if (b->is_builtin && b != in.t.object && !b->is_exception)
        not_supported("subclassing the builtin type '" + b->name + "'");
    }
    // Run the body with the class namespace.
    Frame body;
    body.scope = scope;
    body.module = f.module;
    body.class_ns = &type->dict;
    body.filename = f.filename;
    body.back = &f;
    body.cells.resize(scope->cell_names.size());
    for (int i = scope->ncellvars; i < static_cast<int>(scope->cell_names.size()); ++i) {
      auto it = f.scope->cell_index.find(scope->cell_names[static_cast<std::size_t>(i)]);
      if (it != f.scope->cell_index.end())
        body.cells[static_cast<std::size_t>(i)] = f.cells[static_cast<std::size_t>(it->second)];
    }
    type->dict["__module__"] = in.str("__main__");
    type->dict["__qualname__"] = in.str(scope->qualname);
    Frame* saved = current();
    set_current(&body);
    try {
      exec_body(body, c->body);
    } catch (...) {
      set_current(saved);
      throw;
    }
    set_current(saved);
    // Functions defined in the class get their qualname.
    for (auto& [k, v] : type->dict)
      if (auto* fn = v.as<FunctionObject>())
        fn->dict["__class__"] = tv;
    for (auto it = decos.rbegin(); it != decos.rend(); ++it)
      tv = in.call(*it, std::vector<Value>{tv});
    store_simple(f, c->name, std::move(tv));
  }

  Flow for_loop(Frame& f, const ForStmt* x, const Value& seq)
  {
    // Fast paths: range and list.
    if (auto* r = seq.as<RangeObject>()) {
      const std::int64_t n = r->length();
      for (std::int64_t i = 0; i < n; ++i) {
        assign(f, x->target.get(), Value::from_int(r->start + i * r->step));
        Flow fl = exec_body(f, x->body);
        in.checkpoint();
        if (fl == Flow::Break)
          return Flow::Normal;
        if (fl == Flow::Return)
          return fl;
      }
      return exec_body(f, x->orelse);
    }
    Value it = in.iter(seq);
    Value item;
    while (in.next(it, item)) {
      assign(f, x->target.get(), std::move(item));
      Flow fl = exec_body(f, x->body);
      in.checkpoint();
      if (fl == Flow::Break)
        return Flow::Normal;
      if (fl == Flow::Return)
        return fl;
    }
    return exec_body(f, x->orelse);
  }

  // with a as b, c as d: nested, one item at a time.
  Flow with_sync(Frame& f, const WithStmt* w, std::size_t i)
  {
    if (i == w->items.size())
      return exec_body(f, w->body);
    const WithItem& item = w->items[i];
    Value mgr = eval(f, item.context_expr.get());
    Value exit = lookup_special(mgr, "__exit__", "the context manager protocol");
    Value entered = call_special(mgr, "__enter__", "the context manager protocol");
    if (item.optional_vars)
      assign(f, item.optional_vars.get(), entered);
    Flow fl;
    try {
      fl = with_sync(f, w, i + 1);
    } catch (...) {
      Value exc = in.exception_from(std::current_exception());
      Value suppress = in.call(
          exit,
          std::vector<Value>{Value(static_cast<Object*>(in.type_of(exc))), exc, traceback_of(exc)});
      if (in.truthy(suppress))
        return Flow::Normal;
      throw;
    }
    in.call(exit, std::vector<Value>{Value(), Value(), Value()});
    return fl;
  }

  // The third argument of __exit__: a traceback object (only its existence is visible).
  Value traceback_of(const Value&)
  {
    auto& b = in.builtins();
    auto it = b.find("__loopscope_traceback__");
    if (it == b.end()) {
      Value t(static_cast<Object*>(in.make_type("traceback", {in.t.object}, Kind::Native, false)));
      it = b.emplace("__loopscope_traceback__", t).first;
    }
    return make<NativeObject>(it->second.as<TypeObject>());
  }

  Value lookup_special(const Value& obj, const char* name, const char* protocol)
  {
    const Value* m = in.type_of(obj)->lookup(name);
    if (m == nullptr)
      in.raise(in.e.TypeError, "'" + in.type_name(obj) + "' object does not support " + protocol);
    return bind_method(obj, *m);
  }

  Value call_special(const Value& obj, const char* name, const char* protocol)
  {
    return in.call(lookup_special(obj, name, protocol), std::vector<Value>{});
  }

  Value bind_method(const Value& obj, const Value& m)
  {
    if (m.as<FunctionObject>() != nullptr)
      return make<BoundMethodObject>(in.t.method, obj, m);
    if (auto* b = m.as<BuiltinObject>(); b && b->self.is_none() && b->is_method)
      return in.builtin(b->name, b->fn, obj, b->data);
    return m;
  }

  // Which handler matches `exc`? -1 if none. Evaluates handler types (sync).
  bool matches(Frame& f, const ExceptHandler& h, const Value& exc)
  {
    if (!h.type)
      return true;
    Value t = eval(f, h.type.get());
    return type_matches(exc, t);
  }

  bool type_matches(const Value& exc, const Value& t)
  {
    if (auto* ty = t.as<TypeObject>())
      return in.isinstance(exc, ty);
    if (auto* tup = t.as<TupleObject>()) {
      for (const Value& x : tup->items)
        if (type_matches(exc, x))
          return true;
      return false;
    }
    in.raise(in.e.TypeError,
             "catching classes that do not inherit from BaseException is not allowed");
  }

  // The first except clause that matches `exc` (null: none). Its line is the frame's line.
  const ExceptHandler* find_handler(Frame& f, const TryStmt* t, const Value& exc)
  {
    for (const auto& h : t->handlers) {
      f.line = h.pos.line;
      if (matches(f, h, exc))
        return &h;
    }
    return nullptr;
  }

  Flow try_sync(Frame& f, const TryStmt* t)
  {
    if (t->is_star)
      return try_star_sync(f, t);
    Flow fl = Flow::Normal;
    std::exception_ptr pending;  // exception to rethrow after finally
    Value saved_ret;
    try {
      bool raised = false;
      try {
        fl = exec_body(f, t->body);
      } catch (...) {
        raised = true;
        std::exception_ptr ep = std::current_exception();
        Value exc = in.exception_from(ep);
        note_traceback(f, exc);
        const ExceptHandler* handler = find_handler(f, t, exc);
        if (handler == nullptr)
          throw;
        fl = run_handler(f, *handler, exc);
      }
      if (!raised && fl == Flow::Normal)
        fl = exec_body(f, t->orelse);
    } catch (...) {
      if (t->finalbody.empty())
        throw;
      pending = std::current_exception();
    }
    if (!t->finalbody.empty()) {
      saved_ret = f.retval;
      Value saved_handling = f.handling;
      if (pending) {
        f.handling = in.exception_from(pending);
        note_traceback(f, f.handling);  // before the finally body moves the line
      }
      Flow ff = exec_body(f, t->finalbody);
      f.handling = saved_handling;
      if (ff != Flow::Normal)
        return ff;  // return/break in finally discards the exception
      f.retval = saved_ret;
      if (pending)
        std::rethrow_exception(pending);
    }
    return fl;
  }

  Flow run_handler(Frame& f, const ExceptHandler& h, const Value& exc)
  {
    Value saved = f.handling;
    f.handling = exc;
    if (!h.name.empty())
      store_simple_or_name(f, h.name, exc);
    Flow fl;
    try {
      fl = exec_body(f, h.body);
    } catch (...) {
      f.handling = saved;
      if (!h.name.empty())
        unbind_name(f, h.name);
      throw;
    }
    f.handling = saved;
    if (!h.name.empty())
      unbind_name(f, h.name);
    return fl;
  }

  void store_simple_or_name(Frame& f, const std::string& name, const Value& v)
  {
    store_simple(f, name, v);
  }

  void unbind_name(Frame& f, const std::string& name)
  {
    ScopeInfo* s = f.scope;
    if (s->type == ScopeInfo::Type::Class) {
      f.class_ns->erase(name);
      return;
    }
    if (s->type != ScopeInfo::Type::Module && s->globals.count(name) == 0) {
      if (auto it = s->cell_index.find(name); it != s->cell_index.end()) {
        auto* c = f.cells[static_cast<std::size_t>(it->second)].as<CellObject>();
        c->value = Value();
        c->bound = false;
        return;
      }
      if (auto it = s->fast_index.find(name); it != s->fast_index.end()) {
        f.fast[static_cast<std::size_t>(it->second)] = unbound_value();
        return;
      }
    }
    f.module->dict.erase(name);
  }

  // ---- except* (shared by the plain and the awaiting form)

  // The group the handlers split: the body's exception, wrapped in one if it is not a group.
  Value star_group(Frame& f, const Value& exc)
  {
    note_traceback(f, exc);
    if (in.isinstance(exc, in.e.BaseExceptionGroup))
      return exc;
    return in.new_exception(in.e.BaseExceptionGroup, {in.str(""), in.tuple({exc})});
  }

  // What handler `h` takes of `rest` (None: nothing); `rest` keeps the remainder (or None).
  Value star_split(Frame& f, const ExceptHandler& h, Value& rest)
  {
    f.line = h.pos.line;
    Value ht = eval(f, h.type.get());
    Value parts = in.call(in.getattr(rest, "split"), std::vector<Value>{ht});
    auto* tp = parts.as<TupleObject>();
    rest = tp->items[1];
    return tp->items[0];
  }

  // After the handlers: raises what the handlers raised plus what none matched, as one group;
  // or what none matched alone (the original exception when nothing matched at all). Returns
  // when everything was handled.
  void star_reraise(const Value& exc, const Value& rest, std::vector<Value>& raised)
  {
    if (!raised.empty()) {
      if (!rest.is_none())
        raised.push_back(rest);
      in.raise_value(in.new_exception(in.e.BaseExceptionGroup, {in.str(""), in.tuple(raised)}));
    }
    if (!rest.is_none())
      in.raise_value(in.isinstance(exc, in.e.BaseExceptionGroup) ? rest : exc);
  }

  // except*: split the exception group among the handlers.
  Flow try_star_sync(Frame& f, const TryStmt* t)
  {
    Flow fl = Flow::Normal;
    std::exception_ptr pending;
    try {
      bool raised = false;
      try {
        fl = exec_body(f, t->body);
      } catch (...) {
        raised = true;
        const Value exc = in.exception_from(std::current_exception());
        Value rest = star_group(f, exc);
        std::vector<Value> raised_in_handlers;
        for (const auto& h : t->handlers) {
          if (rest.is_none())
            break;
          const Value match = star_split(f, h, rest);
          if (match.is_none())
            continue;
          try {
            Flow hf = run_handler(f, h, match);
            if (hf != Flow::Normal)
              return hf;
          } catch (...) {
            raised_in_handlers.push_back(in.exception_from(std::current_exception()));
          }
        }
        star_reraise(exc, rest, raised_in_handlers);
      }
      if (!raised && fl == Flow::Normal)
        fl = exec_body(f, t->orelse);
    } catch (...) {
      if (t->finalbody.empty())
        throw;
      pending = std::current_exception();
    }
    if (!t->finalbody.empty()) {
      Flow ff = exec_body(f, t->finalbody);
      if (ff != Flow::Normal)
        return ff;
      if (pending)
        std::rethrow_exception(pending);
    }
    return fl;
  }

  [[noreturn]] void do_raise(Frame& f, const RaiseStmt* x, Value exc, Value cause)
  {
    if (!x->exc) {
      for (Frame* fr = &f; fr != nullptr; fr = fr->back)
        if (!fr->handling.is_none())
          throw PyException(fr->handling);
      in.raise(in.e.RuntimeError, "No active exception to reraise");
    }
    if (exc.as<TypeObject>() != nullptr)
      exc = in.call(exc, std::vector<Value>{});
    if (exc.as<ExceptionObject>() == nullptr)
      in.raise(in.e.TypeError, "exceptions must derive from BaseException");
    note_traceback(f, exc, true);
    if (x->cause) {
      if (cause.as<TypeObject>() != nullptr)
        cause = in.call(cause, std::vector<Value>{});
      auto* e = exc.as<ExceptionObject>();
      e->cause = cause;
      e->suppress_context = true;
    }
    in.raise_value(exc);
  }

  // ---------------------------------------------------------------- assignment

  void assign(Frame& f, const Expr* target, Value v)
  {
    switch (target->kind) {
      case ExprKind::Name:
        store_name(f, static_cast<const NameExpr*>(target), std::move(v));
        return;
      case ExprKind::Attribute: {
        auto* x = static_cast<const AttributeExpr*>(target);
        in.setattr(eval(f, x->value.get()), x->attr, std::move(v));
        return;
      }
      case ExprKind::Subscript: {
        auto* x = static_cast<const SubscriptExpr*>(target);
        Value obj = eval(f, x->value.get());
        Value key = eval(f, x->index.get());
        in.setitem(obj, key, std::move(v));
        return;
      }
      case ExprKind::Tuple:
      case ExprKind::List: {
        auto* x = static_cast<const SequenceExpr*>(target);
        std::vector<Value> items = in.to_vector(v);
        std::size_t star = x->elts.size();
        for (std::size_t i = 0; i < x->elts.size(); ++i)
          if (x->elts[i]->kind == ExprKind::Starred)
            star = i;
        if (star == x->elts.size()) {
          if (items.size() != x->elts.size()) {
            if (items.size() > x->elts.size())
              in.raise(in.e.ValueError, "too many values to unpack (expected " +
                                            std::to_string(x->elts.size()) + ")");
            in.raise(in.e.ValueError, "not enough values to unpack (expected " +
                                          std::to_string(x->elts.size()) + ", got " +
                                          std::to_string(items.size()) + ")");
          }
          for (std::size_t i = 0; i < items.size(); ++i)
            assign(f, x->elts[i].get(), std::move(items[i]));
          return;
        }
        const std::size_t after = x->elts.size() - star - 1;
        if (items.size() < star + after)
          in.raise(in.e.ValueError, "not enough values to unpack (expected at least " +
                                        std::to_string(star + after) + ", got " +
                                        std::to_string(items.size()) + ")");
        for (std::size_t i = 0; i < star; ++i)
          assign(f, x->elts[i].get(), items[i]);
        std::vector<Value> mid(items.begin() + static_cast<long>(star),
                               items.end() - static_cast<long>(after));
        assign(f, static_cast<const StarredExpr*>(x->elts[star].get())->value.get(),
               in.list(std::move(mid)));
        for (std::size_t i = 0; i < after; ++i)
          assign(f, x->elts[star + 1 + i].get(), items[items.size() - after + i]);
        return;
      }
      case ExprKind::Starred:
        in.raise(in.e.SyntaxError, "starred assignment target must be in a list or tuple");
      default:
        in.raise(in.e.SyntaxError, "cannot assign to expression");
    }
  }

  void aug_assign(Frame& f, const AugAssignStmt* x, Value rhs)
  {
    const Expr* t = x->target.get();
    auto inplace = [&](const Value& cur) -> Value {
      // list += iterable extends in place
      if (x->op == BinOpKind::Add) {
        if (auto* l = cur.as<ListObject>()) {
          for (Value& v : in.to_vector(rhs))
            l->items.push_back(std::move(v));
          return cur;
        }
      }
      static const char* inames[] = {"__iadd__",     "__isub__", "__imul__", "__imatmul__",
                                     "__itruediv__", "__imod__", "__ipow__", "__ilshift__",
                                     "__irshift__",  "__ior__",  "__ixor__", "__iand__",
                                     "__ifloordiv__"};
      const TypeObject* ty = in.type_of(cur);
      if (!ty->is_builtin)
        if (const Value* m = ty->lookup(inames[static_cast<int>(x->op)]))
          return in.call(*m, std::vector<Value>{cur, rhs});
      return in.binop(x->op, cur, rhs);
    };
    switch (t->kind) {
      case ExprKind::Name: {
        auto* n = static_cast<const NameExpr*>(t);
        store_name(f, n, inplace(load_name(f, n)));
        return;
      }
      case ExprKind::Attribute: {
        auto* a = static_cast<const AttributeExpr*>(t);
        Value obj = eval(f, a->value.get());
        in.setattr(obj, a->attr, inplace(in.getattr(obj, a->attr)));
        return;
      }
      case ExprKind::Subscript: {
        auto* s = static_cast<const SubscriptExpr*>(t);
        Value obj = eval(f, s->value.get());
        Value key = eval(f, s->index.get());
        in.setitem(obj, key, inplace(in.getitem(obj, key)));
        return;
      }
      default:
        in.raise(in.e.SyntaxError,
                 "'expression' is an illegal expression for augmented assignment");
    }
  }

  void del_target(Frame& f, const Expr* t)
  {
    switch (t->kind) {
      case ExprKind::Name:
        delete_name(f, static_cast<const NameExpr*>(t));
        return;
      case ExprKind::Attribute: {
        auto* a = static_cast<const AttributeExpr*>(t);
        Value obj = eval(f, a->value.get());
        in.call(in.builtins()["delattr"], std::vector<Value>{obj, in.str(a->attr)});
        return;
      }
      case ExprKind::Subscript: {
        auto* s = static_cast<const SubscriptExpr*>(t);
        Value obj = eval(f, s->value.get());
        in.delitem(obj, eval(f, s->index.get()));
        return;
      }
      case ExprKind::Tuple:
      case ExprKind::List:
        for (const auto& e : static_cast<const SequenceExpr*>(t)->elts)
          del_target(f, e.get());
        return;
      default:
        in.raise(in.e.SyntaxError, "cannot delete expression");
    }
  }

  // ---------------------------------------------------------------- comprehensions

  std::unique_ptr<Frame> comp_frame(Frame& f, const ComprehensionExpr* c)
  {
    auto* scope = static_cast<ScopeInfo*>(c->scope_info.get());
    auto fr = std::make_unique<Frame>();
    fr->scope = scope;
    fr->func = f.func;
    fr->module = f.module;
    fr->filename = f.filename;
    fr->back = &f;
    fr->line = f.line;
    fr->fast.resize(scope->fast_names.size());
    fr->cells.resize(scope->cell_names.size());
    for (int i = 0; i < scope->ncellvars; ++i) {
      Value cell = make<CellObject>();
      cell.obj()->type = in.t.cell;
      fr->cells[static_cast<std::size_t>(i)] = std::move(cell);
    }
    for (int i = scope->ncellvars; i < static_cast<int>(scope->cell_names.size()); ++i) {
      auto it = f.scope->cell_index.find(scope->cell_names[static_cast<std::size_t>(i)]);
      if (it != f.scope->cell_index.end())
        fr->cells[static_cast<std::size_t>(i)] = f.cells[static_cast<std::size_t>(it->second)];
    }
    fr->handling = f.handling;
    return fr;
  }

  Value comprehension(Frame& f, const ComprehensionExpr* c)
  {
    if (c->kind == ExprKind::GeneratorExp)
      return generator(f, c);
    Value first = eval(f, c->generators.front().iter.get());
    std::unique_ptr<Frame> fr = comp_frame(f, c);
    std::vector<Value> items;
    Value d;
    if (c->kind == ExprKind::DictComp)
      d = in.dict();
    comp_loop(*fr, c, 0, first, items, d);
    if (c->kind == ExprKind::DictComp)
      return d;
    if (c->kind == ExprKind::ListComp)
      return in.list(std::move(items));
    if (c->kind == ExprKind::SetComp)
      return display(ExprKind::Set, std::move(items));
    return {};
  }

  // A generator expression: an iterator that evaluates one element per next(), as Python's
  // generator does (any()/all()/next() stop early; side effects happen lazily).
  struct GenState
  {
    std::unique_ptr<Frame> frame;
    const ComprehensionExpr* comp = nullptr;
    std::vector<Value> iters;  ///< one per active `for` level
  };

  Value generator(Frame& f, const ComprehensionExpr* c)
  {
    Value first = in.iter(eval(f, c->generators.front().iter.get()));
    auto st = std::make_shared<GenState>();
    st->frame = comp_frame(f, c);
    st->frame->back = nullptr;  // the creating frame may be gone when it is iterated
    st->comp = c;
    st->iters.push_back(first);
    Value it = make<IteratorObject>(in.t.generator);
    it.as<IteratorObject>()->next_fn = [st](Interp& ip, IteratorObject&, Value& out) {
      Evaluator ev{ip};
      Frame& fr = *st->frame;
      const ComprehensionExpr* cc = st->comp;
      while (!st->iters.empty()) {
        const std::size_t level = st->iters.size() - 1;
        const Comprehension& g = cc->generators[level];
        Value item;
        if (!ip.next(st->iters.back(), item)) {
          st->iters.pop_back();
          continue;
        }
        ev.assign(fr, g.target.get(), std::move(item));
        bool ok = true;
        for (const auto& cond : g.ifs)
          if (!ip.truthy(ev.eval(fr, cond.get()))) {
            ok = false;
            break;
          }
        if (!ok)
          continue;
        if (level + 1 < cc->generators.size()) {
          st->iters.push_back(ip.iter(ev.eval(fr, cc->generators[level + 1].iter.get())));
          continue;
        }
        out = ev.eval(fr, cc->elt.get());
        return true;
      }
      return false;
    };
    return it;
  }

  void comp_loop(Frame& f, const ComprehensionExpr* c, std::size_t level, const Value& seq,
                 std::vector<Value>& items, Value& d)
  {
    const Comprehension& g = c->generators[level];
    Value it = in.iter(seq);
    Value item;
    while (in.next(it, item)) {
      in.checkpoint();
      assign(f, g.target.get(), std::move(item));
      bool ok = true;
      for (const auto& cond : g.ifs)
        if (!in.truthy(eval(f, cond.get()))) {
          ok = false;
          break;
        }
      if (!ok)
        continue;
      if (level + 1 < c->generators.size()) {
        comp_loop(f, c, level + 1, eval(f, c->generators[level + 1].iter.get()), items, d);
      } else if (c->kind == ExprKind::DictComp) {
        Value k = eval(f, c->elt.get());
        in.setitem(d, k, eval(f, c->value.get()));
      } else {
        items.push_back(eval(f, c->elt.get()));
      }
    }
  }

  // ================================================================ async paths

  Coro<Value> eval_a(Frame& f, const Expr* e)
  {
    if (!e->has_await)
      co_return eval(f, e);
    switch (e->kind) {
      case ExprKind::Await: {
        auto* x = static_cast<const AwaitExpr*>(e);
        // (GCC 12 miscompiles co_await inside ?:, so no conditional expressions here.)
        Value aw;
        if (x->value->has_await)
          aw = co_await eval_a(f, x->value.get());
        else
          aw = eval(f, x->value.get());
        f.line = e->pos.line;
        f.col = e->pos.col;
        co_return co_await in.await_value(std::move(aw),
                                          in.site(e->pos.line, e->pos.col, scope_name(f)));
      }
      case ExprKind::Attribute: {
        auto* x = static_cast<const AttributeExpr*>(e);
        Value obj = co_await eval_a(f, x->value.get());
        co_return in.getattr(obj, x->attr);
      }
      case ExprKind::Subscript: {
        auto* x = static_cast<const SubscriptExpr*>(e);
        Value obj = co_await eval_a(f, x->value.get());
        Value key = co_await eval_a(f, x->index.get());
        co_return in.getitem(obj, key);
      }
      case ExprKind::Call: {
        auto* c = static_cast<const CallExpr*>(e);
        Value fn = co_await eval_a(f, c->func.get());
        CallArgs a;
        for (const auto& x : c->args) {
          if (x->kind == ExprKind::Starred) {
            Value v = co_await eval_a(f, static_cast<StarredExpr*>(x.get())->value.get());
            for (Value& item : in.to_vector(v))
              a.args.push_back(std::move(item));
          } else {
            a.args.push_back(co_await eval_a(f, x.get()));
          }
        }
        for (const auto& k : c->keywords) {
          Value v = co_await eval_a(f, k.value.get());
          if (k.arg.empty())
            spread_kwargs(a, v);
          else
            a.kwargs.emplace_back(k.arg, std::move(v));
        }
        f.line = c->pos.line;
        co_return in.call(fn, std::move(a));
      }
      case ExprKind::BinOp: {
        auto* x = static_cast<const BinOpExpr*>(e);
        Value a = co_await eval_a(f, x->left.get());
        Value b = co_await eval_a(f, x->right.get());
        co_return in.binop(x->op, a, b);
      }
      case ExprKind::UnaryOp: {
        auto* x = static_cast<const UnaryOpExpr*>(e);
        Value v = co_await eval_a(f, x->operand.get());
        co_return unary(x->op, v);
      }
      case ExprKind::BoolOp: {
        auto* x = static_cast<const BoolOpExpr*>(e);
        Value v;
        for (const auto& sub : x->values) {
          v = co_await eval_a(f, sub.get());
          if (in.truthy(v) != x->is_and)
            co_return v;
        }
        co_return v;
      }
      case ExprKind::Compare: {
        auto* x = static_cast<const CompareExpr*>(e);
        Value left = co_await eval_a(f, x->left.get());
        for (std::size_t i = 0; i < x->ops.size(); ++i) {
          Value right = co_await eval_a(f, x->comparators[i].get());
          if (!compare(x->ops[i], left, right))
            co_return Value(false);
          left = std::move(right);
        }
        co_return Value(true);
      }
      case ExprKind::IfExp: {
        auto* x = static_cast<const IfExpExpr*>(e);
        Value t = co_await eval_a(f, x->test.get());
        if (in.truthy(t))
          co_return co_await eval_a(f, x->body.get());
        co_return co_await eval_a(f, x->orelse.get());
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set: {
        auto* x = static_cast<const SequenceExpr*>(e);
        std::vector<Value> items;
        for (const auto& el : x->elts) {
          if (el->kind == ExprKind::Starred) {
            Value v = co_await eval_a(f, static_cast<StarredExpr*>(el.get())->value.get());
            for (Value& item : in.to_vector(v))
              items.push_back(std::move(item));
          } else {
            items.push_back(co_await eval_a(f, el.get()));
          }
        }
        co_return display(e->kind, std::move(items));
      }
      case ExprKind::Dict: {
        auto* x = static_cast<const DictExpr*>(e);
        Value d = in.dict();
        for (std::size_t i = 0; i < x->keys.size(); ++i) {
          if (!x->keys[i]) {
            merge_mapping(d, co_await eval_a(f, x->values[i].get()));
            continue;
          }
          Value k = co_await eval_a(f, x->keys[i].get());
          Value v = co_await eval_a(f, x->values[i].get());
          in.setitem(d, k, std::move(v));
        }
        co_return d;
      }
      case ExprKind::JoinedStr: {
        auto* x = static_cast<const JoinedStrExpr*>(e);
        std::string out;
        for (const auto& part : x->values) {
          if (part->kind == ExprKind::Constant) {
            out += static_cast<const ConstantExpr*>(part.get())->s;
          } else {
            auto* fv = static_cast<const FormattedValueExpr*>(part.get());
            Value v = co_await eval_a(f, fv->value.get());
            std::string spec;
            if (fv->format_spec)
              spec = spec_text(co_await eval_a(f, fv->format_spec.get()));
            out += formatted(fv, v, spec);
          }
        }
        co_return in.str(std::move(out));
      }
      case ExprKind::FormattedValue: {
        auto* fv = static_cast<const FormattedValueExpr*>(e);
        Value v = co_await eval_a(f, fv->value.get());
        std::string spec;
        if (fv->format_spec)
          spec = spec_text(co_await eval_a(f, fv->format_spec.get()));
        co_return in.str(formatted(fv, v, spec));
      }
      case ExprKind::NamedExpr: {
        auto* x = static_cast<const NamedExpr*>(e);
        Value v = co_await eval_a(f, x->value.get());
        assign_named(f, x, v);
        co_return v;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp: {
        auto* c = static_cast<const ComprehensionExpr*>(e);
        Value first = co_await eval_a(f, c->generators.front().iter.get());
        std::unique_ptr<Frame> fr = comp_frame(f, c);
        std::vector<Value> items;
        Value d;
        if (c->kind == ExprKind::DictComp)
          d = in.dict();
        co_await comp_loop_a(*fr, c, 0, first, items, d);
        if (c->kind == ExprKind::DictComp)
          co_return d;
        if (c->kind == ExprKind::ListComp)
          co_return in.list(std::move(items));
        co_return display(ExprKind::Set, std::move(items));
      }
      default:
        not_supported("'await' in this position");
    }
  }

  Coro<void> comp_loop_a(Frame& f, const ComprehensionExpr* c, std::size_t level, Value seq,
                         std::vector<Value>& items, Value& d)
  {
    const Comprehension& g = c->generators[level];
    if (g.is_async)
      not_supported("'async for' in comprehensions");
    Value it = in.iter(seq);
    Value item;
    while (in.next(it, item)) {
      in.checkpoint();
      assign(f, g.target.get(), std::move(item));
      bool ok = true;
      for (const auto& cond : g.ifs)
        if (!in.truthy(co_await eval_a(f, cond.get()))) {
          ok = false;
          break;
        }
      if (!ok)
        continue;
      if (level + 1 < c->generators.size()) {
        Value next_seq = co_await eval_a(f, c->generators[level + 1].iter.get());
        co_await comp_loop_a(f, c, level + 1, next_seq, items, d);
      } else if (c->kind == ExprKind::DictComp) {
        Value k = co_await eval_a(f, c->elt.get());
        Value v = co_await eval_a(f, c->value.get());
        in.setitem(d, k, std::move(v));
      } else {
        items.push_back(co_await eval_a(f, c->elt.get()));
      }
    }
  }

  Coro<Flow> exec_body_a(Frame& f, const Body& b)
  {
    for (const auto& s : b) {
      Flow fl;
      if (s->has_await)
        fl = co_await exec_a(f, s.get());
      else
        fl = exec(f, s.get());
      if (fl != Flow::Normal)
        co_return fl;
    }
    co_return Flow::Normal;
  }

  Coro<Flow> exec_a(Frame& f, const Stmt* s)
  {
    f.line = s->pos.line;
    f.col = s->pos.col;
    switch (s->kind) {
      case StmtKind::Expr:
        co_await eval_a(f, static_cast<const ExprStmt*>(s)->value.get());
        co_return Flow::Normal;
      case StmtKind::Assign: {
        auto* x = static_cast<const AssignStmt*>(s);
        Value v = co_await eval_a(f, x->value.get());
        for (const auto& t : x->targets)
          assign(f, t.get(), v);
        co_return Flow::Normal;
      }
      case StmtKind::AugAssign: {
        auto* x = static_cast<const AugAssignStmt*>(s);
        Value v = co_await eval_a(f, x->value.get());
        aug_assign(f, x, std::move(v));
        co_return Flow::Normal;
      }
      case StmtKind::AnnAssign: {
        auto* x = static_cast<const AnnAssignStmt*>(s);
        if (x->value)
          assign(f, x->target.get(), co_await eval_a(f, x->value.get()));
        co_return Flow::Normal;
      }
      case StmtKind::Return: {
        auto* x = static_cast<const ReturnStmt*>(s);
        f.retval = Value();
        if (x->value)
          f.retval = co_await eval_a(f, x->value.get());
        co_return Flow::Return;
      }
      case StmtKind::If: {
        auto* x = static_cast<const IfStmt*>(s);
        Value t = co_await eval_a(f, x->test.get());
        co_return co_await exec_body_a(f, in.truthy(t) ? x->body : x->orelse);
      }
      case StmtKind::While: {
        auto* x = static_cast<const WhileStmt*>(s);
        for (;;) {
          Value t = co_await eval_a(f, x->test.get());
          if (!in.truthy(t))
            break;
          Flow fl = co_await exec_body_a(f, x->body);
          f.line = s->pos.line;  // as in exec's While
          in.checkpoint();
          if (fl == Flow::Break)
            co_return Flow::Normal;
          if (fl == Flow::Return)
            co_return fl;
        }
        co_return co_await exec_body_a(f, x->orelse);
      }
      case StmtKind::For: {
        auto* x = static_cast<const ForStmt*>(s);
        Value seq = co_await eval_a(f, x->iter.get());
        if (x->is_async) {
          Value ait = call_special(seq, "__aiter__", "the asynchronous iterator protocol");
          for (;;) {
            Value step = call_special(ait, "__anext__", "the asynchronous iterator protocol");
            Value item;
            bool done = false;
            try {
              item = co_await in.await_value(step, in.site(s->pos.line, s->pos.col, scope_name(f)));
            } catch (PyException& px) {
              if (!in.isinstance(px.exc, in.e.StopAsyncIteration))
                throw;
              done = true;
            }
            if (done)
              break;
            assign(f, x->target.get(), std::move(item));
            Flow fl = co_await exec_body_a(f, x->body);
            if (fl == Flow::Break)
              co_return Flow::Normal;
            if (fl == Flow::Return)
              co_return fl;
          }
          co_return co_await exec_body_a(f, x->orelse);
        }
        Value it = in.iter(seq);
        Value item;
        while (in.next(it, item)) {
          assign(f, x->target.get(), std::move(item));
          Flow fl = co_await exec_body_a(f, x->body);
          in.checkpoint();
          if (fl == Flow::Break)
            co_return Flow::Normal;
          if (fl == Flow::Return)
            co_return fl;
        }
        co_return co_await exec_body_a(f, x->orelse);
      }
      case StmtKind::With:
        co_return co_await with_a(f, static_cast<const WithStmt*>(s), 0);
      case StmtKind::Try:
        co_return co_await try_a(f, static_cast<const TryStmt*>(s));
      case StmtKind::Raise: {
        auto* x = static_cast<const RaiseStmt*>(s);
        Value exc;
        Value cause;
        if (x->exc)
          exc = co_await eval_a(f, x->exc.get());
        if (x->cause)
          cause = co_await eval_a(f, x->cause.get());
        do_raise(f, x, exc, cause);
      }
      case StmtKind::Assert: {
        auto* x = static_cast<const AssertStmt*>(s);
        Value t = co_await eval_a(f, x->test.get());
        if (!in.truthy(t)) {
          std::vector<Value> args;
          if (x->msg)
            args.push_back(co_await eval_a(f, x->msg.get()));
          in.raise_value(in.new_exception(in.e.AssertionError, std::move(args)));
        }
        co_return Flow::Normal;
      }
      default:
        co_return exec(f, s);
    }
  }

  Coro<Flow> with_a(Frame& f, const WithStmt* w, std::size_t i)
  {
    if (i == w->items.size())
      co_return co_await exec_body_a(f, w->body);
    const WithItem& item = w->items[i];
    Value mgr = co_await eval_a(f, item.context_expr.get());
    const auto site = in.site(w->pos.line, w->pos.col, scope_name(f));
    Value exit;
    Value entered;
    if (w->is_async) {
      exit = lookup_special(mgr, "__aexit__", "the asynchronous context manager protocol");
      Value aw = call_special(mgr, "__aenter__", "the asynchronous context manager protocol");
      entered = co_await in.await_value(aw, site);
    } else {
      exit = lookup_special(mgr, "__exit__", "the context manager protocol");
      entered = call_special(mgr, "__enter__", "the context manager protocol");
    }
    if (item.optional_vars)
      assign(f, item.optional_vars.get(), entered);
    Flow fl = Flow::Normal;
    std::exception_ptr ep;
    try {
      fl = co_await with_a(f, w, i + 1);
    } catch (...) {
      ep = std::current_exception();
    }
    if (ep) {
      Value exc = in.exception_from(ep);
      Value r = in.call(exit, std::vector<Value>{Value(static_cast<Object*>(in.type_of(exc))), exc,
                                                 traceback_of(exc)});
      if (w->is_async)
        r = co_await in.await_value(r, site);
      if (in.truthy(r))
        co_return Flow::Normal;
      std::rethrow_exception(ep);
    }
    Value r = in.call(exit, std::vector<Value>{Value(), Value(), Value()});
    if (w->is_async)
      co_await in.await_value(r, site);
    co_return fl;
  }

  // except* around a block that awaits: the body's exception is split among the handlers.
  Coro<Flow> try_star_a(Frame& f, const TryStmt* t)
  {
    Flow fl = Flow::Normal;
    std::exception_ptr pending;
    std::exception_ptr body_error;
    try {
      fl = co_await exec_body_a(f, t->body);
    } catch (...) {
      body_error = std::current_exception();
    }
    if (body_error) {
      const Value exc = in.exception_from(body_error);
      body_error = nullptr;
      Value rest = star_group(f, exc);
      std::vector<Value> raised;
      bool returned = false;
      for (const auto& h : t->handlers) {
        if (rest.is_none())
          break;
        const Value match = star_split(f, h, rest);
        if (match.is_none())
          continue;
        Value saved = f.handling;
        f.handling = match;
        if (!h.name.empty())
          store_simple(f, h.name, match);
        std::exception_ptr herr;
        try {
          Flow hf = co_await exec_body_a(f, h.body);
          if (hf != Flow::Normal) {
            fl = hf;
            returned = true;
          }
        } catch (...) {
          herr = std::current_exception();
        }
        f.handling = saved;
        if (!h.name.empty())
          unbind_name(f, h.name);
        if (herr)
          raised.push_back(in.exception_from(herr));
        if (returned)
          break;
      }
      if (!returned) {
        try {
          star_reraise(exc, rest, raised);
        } catch (...) {
          pending = std::current_exception();
        }
      }
    } else if (fl == Flow::Normal) {
      try {
        fl = co_await exec_body_a(f, t->orelse);
      } catch (...) {
        pending = std::current_exception();
      }
    }
    if (!t->finalbody.empty()) {
      Value saved_ret = f.retval;
      Flow ff = co_await exec_body_a(f, t->finalbody);
      if (ff != Flow::Normal)
        co_return ff;
      f.retval = saved_ret;
    }
    if (pending)
      std::rethrow_exception(pending);
    co_return fl;
  }

  Coro<Flow> try_a(Frame& f, const TryStmt* t)
  {
    if (t->is_star)
      co_return co_await try_star_a(f, t);
    Flow fl = Flow::Normal;
    std::exception_ptr pending;
    std::exception_ptr body_error;
    try {
      fl = co_await exec_body_a(f, t->body);
    } catch (...) {
      body_error = std::current_exception();
    }
    if (body_error) {
      Value exc = in.exception_from(body_error);
      note_traceback(f, exc);
      const ExceptHandler* handler = nullptr;
      try {
        handler = find_handler(f, t, exc);
      } catch (...) {
        pending = std::current_exception();
      }
      if (!pending) {
        if (handler == nullptr) {
          pending = body_error;
        } else {
          Value saved = f.handling;
          f.handling = exc;
          if (!handler->name.empty())
            store_simple(f, handler->name, exc);
          exc = Value();
          body_error = nullptr;
          try {
            fl = co_await exec_body_a(f, handler->body);
          } catch (...) {
            pending = std::current_exception();
          }
          f.handling = saved;
          if (!handler->name.empty())
            unbind_name(f, handler->name);
        }
      }
    } else if (fl == Flow::Normal) {
      try {
        fl = co_await exec_body_a(f, t->orelse);
      } catch (...) {
        pending = std::current_exception();
      }
    }
    body_error = nullptr;
    if (!t->finalbody.empty()) {
      if (pending)
        note_traceback(f, in.exception_from(pending));  // before the finally body moves the line
      Value saved_ret = f.retval;
      Flow ff = co_await exec_body_a(f, t->finalbody);
      if (ff != Flow::Normal)
        co_return ff;
      f.retval = saved_ret;
    }
    if (pending)
      std::rethrow_exception(pending);
    co_return fl;
  }
};

// ------------------------------------------------------------------ frames on this thread

namespace {
thread_local Frame* t_current = nullptr;
std::string g_main_filename = "<script>";
}  // namespace

Frame* Evaluator::current()
{
  return t_current;
}
Frame* script_current_frame() noexcept
{
  return t_current;
}
void set_script_current_frame(Frame* f) noexcept
{
  t_current = f;
}
void Evaluator::set_current(Frame* f)
{
  t_current = f;
}
const std::string& Evaluator::main_filename()
{
  return g_main_filename;
}

// ------------------------------------------------------------------ super()

namespace {

struct SuperObject : NativeObject
{
  SuperObject(TypeObject* t, Value c, Value s)
      : NativeObject(t)
      , cls(std::move(c))
      , self(std::move(s))
  {}
  void clear_refs() override
  {
    cls = Value();
    self = Value();
  }
  Value cls;   ///< the class whose method called super()
  Value self;  ///< the instance (or class)
};
TypeObject* g_super_type = nullptr;

Value builtin_super(Interp& in, const Value&, CallArgs& a)
{
  Value cls, self;
  if (a.args.size() >= 2) {
    cls = a.args[0];
    self = a.args[1];
  } else {
    Frame* f = t_current;
    if (f == nullptr || f->func == nullptr)
      in.raise(in.e.RuntimeError, "super(): no arguments");
    auto it = f->func->dict.find("__class__");
    if (it == f->func->dict.end())
      in.raise(in.e.RuntimeError, "super(): __class__ cell not found");
    cls = it->second;
    if (f->scope->params.empty())
      in.raise(in.e.RuntimeError, "super(): no arguments");
    const std::string& first = f->scope->params.front();
    if (auto c = f->scope->cell_index.find(first); c != f->scope->cell_index.end())
      self = f->cells[static_cast<std::size_t>(c->second)].as<CellObject>()->value;
    else
      self = f->fast[static_cast<std::size_t>(f->scope->fast_index.at(first))];
  }
  if (cls.as<TypeObject>() == nullptr)
    in.raise(in.e.TypeError, "super() argument 1 must be a type, not " + in.type_name(cls));
  return make<SuperObject>(g_super_type, cls, self);
}

}  // namespace

bool super_getattr(Interp& in, const Value& obj, std::string_view name, Value& out)
{
  if (!obj.is_obj() || obj.obj()->type != g_super_type || g_super_type == nullptr)
    return false;
  auto* sp = static_cast<SuperObject*>(obj.obj());
  auto* start = sp->cls.as<TypeObject>();
  const TypeObject* ty =
      sp->self.as<TypeObject>() ? sp->self.as<TypeObject>() : in.type_of(sp->self);
  bool after = false;
  const std::string key(name);
  for (const TypeObject* t : ty->mro) {
    if (!after) {
      after = t == start;
      continue;
    }
    auto it = t->dict.find(key);
    if (it == t->dict.end())
      continue;
    const Value& m = it->second;
    if (m.as<FunctionObject>() != nullptr) {
      out = make<BoundMethodObject>(in.t.method, sp->self, m);
      return true;
    }
    if (auto* b = m.as<BuiltinObject>(); b && b->is_method) {
      out = in.builtin(b->name, b->fn, sp->self, b->data);
      return true;
    }
    out = m;
    return true;
  }
  in.raise(in.e.AttributeError, "'super' object has no attribute '" + key + "'");
}

void install_super(Interp& in)
{
  g_super_type = in.make_type("super", {in.t.object}, Kind::Native, false);
  in.builtins()["super"] = in.builtin("super", builtin_super);
}

// ------------------------------------------------------------------ Interp members needing the
// evaluator

Value Interp::call(const Value& fn, std::vector<Value> args)
{
  CallArgs a;
  a.args = std::move(args);
  return call(fn, std::move(a));
}

Value Interp::call(const Value& fn, CallArgs a)
{
  if (!fn.is_obj())
    raise(e.TypeError, "'" + type_name(fn) + "' object is not callable");
  Object* o = fn.obj();
  switch (o->kind) {
    case Kind::Function: {
      Evaluator ev{*this};
      return ev.call_function(static_cast<FunctionObject*>(o), a);
    }
    case Kind::Builtin: {
      auto* b = static_cast<BuiltinObject*>(o);
      if (b->closure)
        return b->closure(*this, a);
      if (b->is_method && b->self.is_none()) {
        if (a.args.empty())
          raise(e.TypeError, "unbound method " + b->name + "() needs an argument");
        Value self = std::move(a.args.front());
        a.args.erase(a.args.begin());
        return b->fn(*this, self, a);
      }
      return b->fn(*this, b->self, a);
    }
    case Kind::BoundMethod: {
      auto* m = static_cast<BoundMethodObject*>(o);
      a.args.insert(a.args.begin(), m->self);
      return call(m->fn, std::move(a));
    }
    case Kind::Type: {
      auto* t = static_cast<TypeObject*>(o);
      // Find the nearest builtin base's constructor.
      if (t->is_builtin && t->construct != nullptr && !t->is_exception)
        return t->construct(*this, fn, a);
      if (t->is_builtin && !t->is_exception && t->instance_kind != Kind::Instance)
        raise(e.TypeError, "cannot create '" + t->name + "' instances");
      Value inst;
      if (t->is_exception) {
        inst = make<ExceptionObject>(t);
        inst.as<ExceptionObject>()->args = tuple(a.args);
      } else {
        if (t->is_builtin && t != this->t.object)
          raise(e.TypeError, "cannot create '" + t->name + "' instances");
        inst = make<InstanceObject>(t);
      }
      if (!t->is_builtin)
        static_cast<InstanceObject*>(inst.obj())->cls_ref = fn;
      if (const Value* init = t->lookup("__init__")) {
        CallArgs ia = std::move(a);
        ia.args.insert(ia.args.begin(), inst);
        Value r = call(*init, std::move(ia));
        if (!r.is_none())
          raise(e.TypeError, "__init__() should return None, not '" + type_name(r) + "'");
      }
      return inst;
    }
    default:
      break;
  }
  if (const Value* m = type_of(fn)->lookup("__call__"); m && o->kind == Kind::Instance) {
    a.args.insert(a.args.begin(), fn);
    return call(*m, std::move(a));
  }
  raise(e.TypeError, "'" + type_name(fn) + "' object is not callable");
}

bool Interp::try_getattr(const Value& obj, std::string_view name, Value& out)
{
  if (super_getattr(*this, obj, name, out))
    return true;
  TypeObject* ty = type_of(obj);
  // Modules and types: their own dict first.
  if (auto* m = obj.as<ModuleObject>()) {
    auto it = m->dict.find(std::string(name));
    if (it != m->dict.end()) {
      out = it->second;
      return true;
    }
    if (name == "__name__") {
      out = str(m->name);
      return true;
    }
    return false;
  }
  if (auto* t = obj.as<TypeObject>()) {
    if (name == "__name__") {
      out = str(t->name);
      return true;
    }
    if (name == "__qualname__") {
      if (const Value* q = t->lookup("__qualname__"); q && !t->is_builtin) {
        out = *q;
        return true;
      }
      out = str(t->name);
      return true;
    }
    if (name == "__module__") {
      out = str(t->module);
      return true;
    }
    if (name == "__mro__") {
      std::vector<Value> m;
      for (TypeObject* x : t->mro)
        m.emplace_back(static_cast<Object*>(x));
      out = tuple(std::move(m));
      return true;
    }
    if (name == "__bases__") {
      std::vector<Value> m;
      for (TypeObject* x : t->bases)
        m.emplace_back(static_cast<Object*>(x));
      out = tuple(std::move(m));
      return true;
    }
    if (const Value* v = t->lookup(name)) {
      if (auto* p = v->as<PropertyObject>(); p && false)
        (void)p;
      out = *v;
      return true;
    }
    return false;
  }
  const Value* cls_attr = ty->lookup(name);
  // Data descriptors (properties) win over the instance dict.
  if (cls_attr != nullptr) {
    if (auto* p = cls_attr->as<PropertyObject>()) {
      CallArgs none;
      if (p->getter != nullptr) {
        out = p->getter(*this, obj, none);
        return true;
      }
      out = call(p->py_getter, std::vector<Value>{obj});
      return true;
    }
  }
  if (auto* inst = dynamic_cast<InstanceObject*>(obj.is_obj() ? obj.obj() : nullptr)) {
    auto it = inst->dict.find(std::string(name));
    if (it != inst->dict.end()) {
      out = it->second;
      return true;
    }
  }
  if (auto* fn = obj.as<FunctionObject>()) {
    if (name == "__name__") {
      out = str(fn->name);
      return true;
    }
    if (name == "__qualname__") {
      out = str(fn->qualname);
      return true;
    }
    auto it = fn->dict.find(std::string(name));
    if (it != fn->dict.end()) {
      out = it->second;
      return true;
    }
  }
  if (auto* b = obj.as<BuiltinObject>(); b && name == "__name__") {
    const std::size_t dot = b->name.rfind('.');
    out = str(dot == std::string::npos ? b->name : b->name.substr(dot + 1));
    return true;
  }
  if (auto* bm = obj.as<BoundMethodObject>()) {
    if (name == "__self__") {
      out = bm->self;
      return true;
    }
    if (name == "__func__") {
      out = bm->fn;
      return true;
    }
    return try_getattr(bm->fn, name, out);
  }
  if (name == "__class__") {
    out = Value(static_cast<Object*>(ty));
    return true;
  }
  if (name == "__dict__") {
    if (auto* inst = dynamic_cast<InstanceObject*>(obj.is_obj() ? obj.obj() : nullptr)) {
      Value d = dict();
      for (auto& [k, v] : inst->dict)
        setitem(d, str(k), v);
      out = d;
      return true;
    }
  }
  if (cls_attr != nullptr) {
    Evaluator ev{*this};
    out = ev.bind_method(obj, *cls_attr);
    return true;
  }
  // __getattr__ fallback on user classes.
  if (!ty->is_builtin) {
    if (const Value* ga = ty->lookup("__getattr__")) {
      out = call(*ga, std::vector<Value>{obj, str(std::string(name))});
      return true;
    }
  }
  return false;
}

Value Interp::getattr(const Value& obj, std::string_view name)
{
  Value out;
  if (try_getattr(obj, name, out))
    return out;
  if (auto* m = obj.as<ModuleObject>())
    raise(e.AttributeError,
          "module '" + m->name + "' has no attribute '" + std::string(name) + "'" +
              (m->name == "asyncio" || m->name == "time" || m->name == "os" || m->name == "sys" ||
                       m->name == "signal" || m->name == "random" || m->name == "logging"
                   ? " (not supported by loopscope)"
                   : ""));
  if (auto* t = obj.as<TypeObject>())
    raise(e.AttributeError,
          "type object '" + t->name + "' has no attribute '" + std::string(name) + "'");
  raise(e.AttributeError,
        "'" + type_name(obj) + "' object has no attribute '" + std::string(name) + "'");
}

void Interp::setattr(const Value& obj, std::string_view name, Value v)
{
  TypeObject* ty = type_of(obj);
  if (const Value* cls_attr = ty->lookup(name)) {
    if (auto* p = cls_attr->as<PropertyObject>()) {
      if (p->setter != nullptr) {
        CallArgs a;
        a.args.push_back(std::move(v));
        p->setter(*this, obj, a);
        return;
      }
      if (!p->py_setter.is_none()) {
        call(p->py_setter, std::vector<Value>{obj, std::move(v)});
        return;
      }
      raise(e.AttributeError,
            "property '" + std::string(name) + "' of '" + ty->name + "' object has no setter");
    }
  }
  if (!ty->is_builtin) {
    if (const Value* sa = ty->lookup("__setattr__"); sa && sa->as<FunctionObject>()) {
      call(*sa, std::vector<Value>{obj, str(std::string(name)), std::move(v)});
      return;
    }
  }
  if (auto* t = obj.as<TypeObject>(); t && !t->is_builtin) {
    t->dict[std::string(name)] = std::move(v);
    return;
  }
  if (auto* m = obj.as<ModuleObject>()) {
    m->dict[std::string(name)] = std::move(v);
    return;
  }
  if (auto* fn = obj.as<FunctionObject>()) {
    fn->dict[std::string(name)] = std::move(v);
    return;
  }
  if (obj.is_obj() && (obj.obj()->kind == Kind::Instance || obj.obj()->kind == Kind::Exception)) {
    static_cast<InstanceObject*>(obj.obj())->dict[std::string(name)] = std::move(v);
    return;
  }
  raise(e.AttributeError,
        "'" + type_name(obj) + "' object has no attribute '" + std::string(name) + "'");
}

ModuleObject* Interp::module(std::string_view name)
{
  auto it = modules_.find(std::string(name));
  return it == modules_.end() ? nullptr : it->second.as<ModuleObject>();
}

void Interp::add_module(Value m)
{
  auto* mo = m.as<ModuleObject>();
  mo->type = t.module;
  modules_[mo->name] = std::move(m);
}

Value Interp::import_module(const std::string& name, Pos)
{
  auto it = modules_.find(name);
  if (it != modules_.end())
    return it->second;
  if (const std::string_view src = source_module(name); !src.empty()) {
    // Run once, like any import; its AST and file name live as long as the interpreter.
    source_module_files_.push_back(std::make_unique<std::string>("<loopscope " + name + ">"));
    const std::string* file = source_module_files_.back().get();
    auto mod = std::make_unique<Module>(parse(std::string(src), *file));
    ScopeInfo* top = resolve(*mod, scopes_);
    Value m = make<ModuleObject>(name);
    auto* mo = m.as<ModuleObject>();
    mo->dict["__name__"] = str(name);
    mo->filename = file;
    Frame f;
    f.scope = top;
    f.module = mo;
    f.filename = file;
    Evaluator ev{*this};
    Frame* saved = t_current;
    t_current = &f;
    try {
      ev.exec_body(f, mod->body);
    } catch (...) {
      t_current = saved;
      throw;
    }
    t_current = saved;
    source_module_asts_.push_back(std::move(mod));
    add_module(m);
    return m;
  }
  static const char* known_unsupported[] = {
      "threading", "subprocess", "socket", "collections", "dataclasses",
      "itertools", "contextlib", "json",   "re",          "datetime"};
  for (const char* k : known_unsupported)
    if (name == k || name.rfind(std::string(k) + ".", 0) == 0)
      raise(e.ModuleNotFoundError,
            "not supported by loopscope: module '" + name +
                "' (supported: asyncio, time, os, signal, sys, random, logging, math, "
                "typing, functools)");
  raise(e.ModuleNotFoundError, "No module named '" + name + "'");
}

void Interp::run_main(std::string source, std::string filename)
{
  step_limit_ = config.sandbox.max_steps != 0 ? config.sandbox.max_steps
                                              : std::numeric_limits<std::uint64_t>::max();
  main_thread_ = std::this_thread::get_id();
  if (config.interrupts != nullptr)
    seen_interrupts_ = config.interrupts->load(std::memory_order_relaxed);
  main_file_ = filename;
  g_main_filename = filename;
  auto mod = std::make_unique<Module>(parse(std::move(source), filename));
  ScopeInfo* top = resolve(*mod, scopes_);
  main_ast_ = std::move(mod);
  Value m = make<ModuleObject>("__main__");
  add_module(m);
  auto* mo = m.as<ModuleObject>();
  mo->dict["__name__"] = str("__main__");
  mo->dict["__file__"] = str(filename);
  Frame f;
  f.scope = top;
  f.module = mo;
  f.filename = &g_main_filename;
  Evaluator ev{*this};
  Frame* saved = t_current;
  t_current = &f;
  try {
    ev.exec_body(f, main_ast_->body);
  } catch (PyException& x) {
    ev.note_traceback(f, x.exc);
    t_current = saved;
    throw;
  } catch (...) {
    t_current = saved;
    throw;
  }
  t_current = saved;
}

// ------------------------------------------------------------------ coroutines

Coro<Value> Interp::run_coroutine(Value coro)
{
  auto* co = coro.as<CoroutineObject>();
  if (co == nullptr)
    raise(e.TypeError, "a coroutine was expected, got " + repr(coro));
  if (co->started)
    raise(e.RuntimeError, "cannot reuse already awaited coroutine");
  // An awaited coroutine runs nested in its awaiter, as CPython's frames nest: the chain is bounded
  // as calls are (an `await f()` recursion would otherwise grow until memory runs out). Each level
  // of awaits costs several resumed C++ coroutine frames on the native stack, so the bound is
  // lower than for calls (900 levels overflowed an 8 MiB stack under AddressSanitizer).
  {
    const int limit = config.sandbox.max_depth > 0
                          ? std::min(config.sandbox.max_depth, kMaxAwaitDepth)
                          : kMaxAwaitDepth;
    int depth = 0;
    for (const Frame* b = t_current; b != nullptr && depth < limit; b = b->back)
      ++depth;
    if (depth >= limit)
      raise(e.RecursionError, "maximum recursion depth exceeded");
  }
  co->started = true;
  Frame& f = *co->frame;
  Evaluator ev{*this};
  Frame* saved = t_current;
  f.back = saved;
  t_current = &f;
  std::exception_ptr err;
  Value result;
  try {
    // Each resume after an await restores the frame as current (see await_value).
    co_await ev.exec_body_a(f, *co->frame->func->body);
    result = std::move(f.retval);
  } catch (PyException& x) {
    ev.note_traceback(f, x.exc);
    err = std::current_exception();
  } catch (...) {
    err = std::current_exception();
  }
  co->finished = true;
  t_current = saved;
  if (err)
    std::rethrow_exception(err);
  co_return result;
}

namespace {

// Converts a Python exception leaving Python code into what engine code expects.
Coro<Value> engine_facing(Interp& in, Value coro)
{
  std::exception_ptr err;
  Value v;
  // A task's root: no awaiting Python frame (the current one belongs to whoever ran before).
  t_current = nullptr;
  try {
    v = co_await in.run_coroutine(std::move(coro));
  } catch (PyException& x) {
    err = in.to_engine(x.exc);
  } catch (...) {
    err = std::current_exception();
  }
  t_current = nullptr;
  if (err)
    std::rethrow_exception(err);
  co_return v;
}

}  // namespace

Coro<Value> NativeObject::await(Interp& in, const std::source_location&)
{
  in.raise(in.e.TypeError, "object " + in.type_name(Value(static_cast<Object*>(this))) +
                               " can't be used in 'await' expression");
}

Coro<Value> AwaitableObject::await(Interp& in, const std::source_location& site)
{
  if (used)
    in.raise(in.e.RuntimeError, "cannot reuse already awaited " + what);
  used = true;
  return start(in, site);
}

Coro<Value> Interp::await_value(Value aw, std::source_location site)
{
  Frame* me = t_current;
  if (aw.as<CoroutineObject>() != nullptr)
    co_return co_await engine::at_site(run_coroutine(std::move(aw)), site);
  auto* n = aw.as<NativeObject>();
  if (n == nullptr || !n->is_awaitable())
    raise(e.TypeError, "object " + type_name(aw) + " can't be used in 'await' expression");
  std::exception_ptr err;
  Value result;
  try {
    result = co_await engine::at_site(n->await(*this, site), site);
  } catch (...) {
    err = std::current_exception();
  }
  t_current = me;
  // A worker thread (to_thread) waiting for the interpreter lock gets it here even when the loop
  // never blocks (a virtual clock jumping from timer to timer).
  gil_.yield_if_wanted();
  if (err) {
    // Engine exceptions become Python ones inside Python code (one throw either way).
    if (as_py_exception(err) != nullptr)
      std::rethrow_exception(err);
    throw PyException(exception_from(err));
  }
  co_return result;
}

engine::Coro<Value> as_engine_coro(Interp& in, Value coro)
{
  return engine_facing(in, std::move(coro));
}

}  // namespace loopscope::script
