// SPDX-License-Identifier: GPL-3.0-or-later
// The text form of the syntax tree; see astdump.h for the format.

#include "engine/script/astdump.h"

#include "engine/script/lexer.h"
#include "engine/script/pyformat.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace loopscope::script {

namespace {

std::string hexEscape(std::uint32_t cp)
{
  char buf[16];
  if (cp < 0x100) {
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
  } else if (cp < 0x10000) {
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
  }
  return buf;
}

char quoteFor(const std::string& s)
{
  return s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
}

std::string reprStr(const std::string& s)
{
  const char q = quoteFor(s);
  std::string out(1, q);
  for (std::size_t i = 0; i < s.size();) {
    const std::uint32_t cp = py::decode_cp(s, i);
    if (cp == '\\') {
      out += "\\\\";
    } else if (cp == static_cast<std::uint32_t>(q)) {
      out += '\\';
      out += q;
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x80 ? (cp < 0x20 || cp == 0x7F) : isNonPrintable(cp)) {
      out += hexEscape(cp);
    } else {
      py::append_cp(out, cp);
    }
  }
  out += q;
  return out;
}

std::string reprBytes(const std::string& s)
{
  const char q = quoteFor(s);
  std::string out = "b";
  out += q;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(q)) {
      out += '\\';
      out += q;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7F) {
      out += hexEscape(c);
    } else {
      out += ch;
    }
  }
  out += q;
  return out;
}

std::string reprFloat(double d)
{
  if (std::isnan(d)) {
    return "nan";
  }
  if (std::isinf(d)) {
    return d < 0 ? "-inf" : "inf";
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  std::string sign;
  if (!sci.empty() && sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const auto e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') {
      digits += sci[i];
    }
  }
  const int exp = std::atoi(sci.c_str() + e + 1);
  const int decpt = exp + 1;
  const auto n = static_cast<int>(digits.size());
  std::string out;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
      out = digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
            digits.substr(static_cast<std::size_t>(decpt));
    }
  } else {
    out = digits.substr(0, 1);
    if (n > 1) {
      out += "." + digits.substr(1);
    }
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  }
  return sign + out;
}

const char* binOpName(BinOpKind k)
{
  switch (k) {
    case BinOpKind::Add:
      return "Add";
    case BinOpKind::Sub:
      return "Sub";
    case BinOpKind::Mult:
      return "Mult";
    case BinOpKind::MatMult:
      return "MatMult";
    case BinOpKind::Div:
      return "Div";
    case BinOpKind::Mod:
      return "Mod";
    case BinOpKind::Pow:
      return "Pow";
    case BinOpKind::LShift:
      return "LShift";
    case BinOpKind::RShift:
      return "RShift";
    case BinOpKind::BitOr:
      return "BitOr";
    case BinOpKind::BitXor:
      return "BitXor";
    case BinOpKind::BitAnd:
      return "BitAnd";
    case BinOpKind::FloorDiv:
      return "FloorDiv";
  }
  return "?";
}

const char* cmpOpName(CmpOpKind k)
{
  switch (k) {
    case CmpOpKind::Eq:
      return "Eq";
    case CmpOpKind::NotEq:
      return "NotEq";
    case CmpOpKind::Lt:
      return "Lt";
    case CmpOpKind::LtE:
      return "LtE";
    case CmpOpKind::Gt:
      return "Gt";
    case CmpOpKind::GtE:
      return "GtE";
    case CmpOpKind::Is:
      return "Is";
    case CmpOpKind::IsNot:
      return "IsNot";
    case CmpOpKind::In:
      return "In";
    case CmpOpKind::NotIn:
      return "NotIn";
  }
  return "?";
}

const char* unaryOpName(UnaryOpKind k)
{
  switch (k) {
    case UnaryOpKind::Invert:
      return "Invert";
    case UnaryOpKind::Not:
      return "Not";
    case UnaryOpKind::UAdd:
      return "UAdd";
    case UnaryOpKind::USub:
      return "USub";
  }
  return "?";
}

class Dumper
{
public:
  std::string out;
  bool positions = false;

  void head(const char* name, Pos p)
  {
    out += name;
    if (positions) {
      out += '@' + std::to_string(p.line) + ':' + std::to_string(p.col);
    }
    out += '(';
  }

  void stmtHead(const char* name, const Stmt& s)
  {
    out += name;
    if (positions) {
      out += '@' + std::to_string(s.pos.line) + ':' + std::to_string(s.pos.col) + '-' +
             std::to_string(s.end_line);
    }
    out += '(';
  }

  void ctx(Ctx c)
  {
    if (c == Ctx::Store) {
      out += ", Store";
    } else if (c == Ctx::Del) {
      out += ", Del";
    }
  }

  void exprs(const std::vector<ExprPtr>& v)
  {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      if (v[i]) {
        expr(*v[i]);
      } else {
        out += "None";
      }
    }
    out += ']';
  }

  void body(const Body& b)
  {
    out += '[';
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      stmt(*b[i]);
    }
    out += ']';
  }

  void keywords(const std::vector<Keyword>& kws)
  {
    out += '[';
    for (std::size_t i = 0; i < kws.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      head("keyword", kws[i].pos);
      if (!kws[i].arg.empty()) {
        out += reprStr(kws[i].arg) + ", ";
      }
      expr(*kws[i].value);
      out += ')';
    }
    out += ']';
  }

  void arg(const Arg& a)
  {
    head("arg", a.pos);
    out += reprStr(a.name);
    if (a.annotation) {
      out += ", ";
      expr(*a.annotation);
    }
    out += ')';
  }

  void args(const std::vector<Arg>& v)
  {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      arg(v[i]);
    }
    out += ']';
  }

  void arguments(const Arguments& a)
  {
    out += "arguments(";
    bool first = true;
    const auto sep = [&](const char* name) {
      if (!first) {
        out += ", ";
      }
      first = false;
      out += name;
      out += '=';
    };
    if (!a.args.empty()) {
      sep("args");
      args(a.args);
    }
    if (!a.defaults.empty()) {
      sep("defaults");
      exprs(a.defaults);
    }
    if (a.vararg) {
      sep("vararg");
      arg(*a.vararg);
    }
    if (!a.kwonlyargs.empty()) {
      sep("kwonlyargs");
      args(a.kwonlyargs);
    }
    if (!a.kw_defaults.empty()) {
      sep("kw_defaults");
      exprs(a.kw_defaults);
    }
    if (a.kwarg) {
      sep("kwarg");
      arg(*a.kwarg);
    }
    out += ')';
  }

  void generators(const std::vector<Comprehension>& gens)
  {
    out += '[';
    for (std::size_t i = 0; i < gens.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      const Comprehension& g = gens[i];
      out += "comprehension(";
      expr(*g.target);
      out += ", ";
      expr(*g.iter);
      if (!g.ifs.empty()) {
        out += ", ifs=";
        exprs(g.ifs);
      }
      if (g.is_async) {
        out += ", is_async=True";
      }
      out += ')';
    }
    out += ']';
  }

  void orelse(const char* name, const Body& b)
  {
    if (!b.empty()) {
      out += ", ";
      out += name;
      out += '=';
      body(b);
    }
  }

  void decorators(const std::vector<ExprPtr>& d)
  {
    if (!d.empty()) {
      out += ", decorators=";
      exprs(d);
    }
  }

  void expr(const Expr& e)
  {
    switch (e.kind) {
      case ExprKind::Constant: {
        const auto& c = static_cast<const ConstantExpr&>(e);
        head("Constant", e.pos);
        switch (c.value_kind) {
          case ConstKind::None:
            out += "None";
            break;
          case ConstKind::True:
            out += "True";
            break;
          case ConstKind::False:
            out += "False";
            break;
          case ConstKind::Ellipsis:
            out += "Ellipsis";
            break;
          case ConstKind::Int:
            out += std::to_string(c.i);
            break;
          case ConstKind::Float:
            out += reprFloat(c.f);
            break;
          case ConstKind::Str:
            out += reprStr(c.s);
            break;
          case ConstKind::Bytes:
            out += reprBytes(c.s);
            break;
        }
        out += ')';
        break;
      }
      case ExprKind::Name: {
        const auto& n = static_cast<const NameExpr&>(e);
        head("Name", e.pos);
        out += reprStr(n.id);
        ctx(n.ctx);
        out += ')';
        break;
      }
      case ExprKind::Attribute: {
        const auto& a = static_cast<const AttributeExpr&>(e);
        head("Attribute", e.pos);
        expr(*a.value);
        out += ", " + reprStr(a.attr);
        ctx(a.ctx);
        out += ')';
        break;
      }
      case ExprKind::Subscript: {
        const auto& s = static_cast<const SubscriptExpr&>(e);
        head("Subscript", e.pos);
        expr(*s.value);
        out += ", ";
        expr(*s.index);
        ctx(s.ctx);
        out += ')';
        break;
      }
      case ExprKind::Slice: {
        const auto& s = static_cast<const SliceExpr&>(e);
        head("Slice", e.pos);
        bool first = true;
        for (const auto& [name, part] :
             {std::pair{"lower", s.lower.get()}, std::pair{"upper", s.upper.get()},
              std::pair{"step", s.step.get()}}) {
          if (part) {
            if (!first) {
              out += ", ";
            }
            first = false;
            out += name;
            out += '=';
            expr(*part);
          }
        }
        out += ')';
        break;
      }
      case ExprKind::Call: {
        const auto& c = static_cast<const CallExpr&>(e);
        head("Call", e.pos);
        expr(*c.func);
        out += ", ";
        exprs(c.args);
        if (!c.keywords.empty()) {
          out += ", keywords=";
          keywords(c.keywords);
        }
        out += ')';
        break;
      }
      case ExprKind::BinOp: {
        const auto& b = static_cast<const BinOpExpr&>(e);
        head("BinOp", e.pos);
        expr(*b.left);
        out += ", ";
        out += binOpName(b.op);
        out += ", ";
        expr(*b.right);
        out += ')';
        break;
      }
      case ExprKind::UnaryOp: {
        const auto& u = static_cast<const UnaryOpExpr&>(e);
        head("UnaryOp", e.pos);
        out += unaryOpName(u.op);
        out += ", ";
        expr(*u.operand);
        out += ')';
        break;
      }
      case ExprKind::BoolOp: {
        const auto& b = static_cast<const BoolOpExpr&>(e);
        head("BoolOp", e.pos);
        out += b.is_and ? "And, " : "Or, ";
        exprs(b.values);
        out += ')';
        break;
      }
      case ExprKind::Compare: {
        const auto& c = static_cast<const CompareExpr&>(e);
        head("Compare", e.pos);
        expr(*c.left);
        out += ", [";
        for (std::size_t i = 0; i < c.ops.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += cmpOpName(c.ops[i]);
        }
        out += "], ";
        exprs(c.comparators);
        out += ')';
        break;
      }
      case ExprKind::IfExp: {
        const auto& i = static_cast<const IfExpExpr&>(e);
        head("IfExp", e.pos);
        expr(*i.test);
        out += ", ";
        expr(*i.body);
        out += ", ";
        expr(*i.orelse);
        out += ')';
        break;
      }
      case ExprKind::Lambda: {
        const auto& l = static_cast<const LambdaExpr&>(e);
        head("Lambda", e.pos);
        arguments(l.args);
        out += ", ";
        expr(*l.body);
        out += ')';
        break;
      }
      case ExprKind::List:
      case ExprKind::Tuple:
      case ExprKind::Set: {
        const auto& s = static_cast<const SequenceExpr&>(e);
        head(e.kind == ExprKind::List    ? "List"
             : e.kind == ExprKind::Tuple ? "Tuple"
                                         : "Set",
             e.pos);
        exprs(s.elts);
        ctx(s.ctx);
        out += ')';
        break;
      }
      case ExprKind::Dict: {
        const auto& d = static_cast<const DictExpr&>(e);
        head("Dict", e.pos);
        exprs(d.keys);
        out += ", ";
        exprs(d.values);
        out += ')';
        break;
      }
      case ExprKind::ListComp:
      case ExprKind::SetComp:
      case ExprKind::DictComp:
      case ExprKind::GeneratorExp: {
        const auto& c = static_cast<const ComprehensionExpr&>(e);
        head(e.kind == ExprKind::ListComp   ? "ListComp"
             : e.kind == ExprKind::SetComp  ? "SetComp"
             : e.kind == ExprKind::DictComp ? "DictComp"
                                            : "GeneratorExp",
             e.pos);
        expr(*c.elt);
        out += ", ";
        if (c.value) {
          expr(*c.value);
          out += ", ";
        }
        generators(c.generators);
        out += ')';
        break;
      }
      case ExprKind::Await:
        head("Await", e.pos);
        expr(*static_cast<const AwaitExpr&>(e).value);
        out += ')';
        break;
      case ExprKind::JoinedStr:
        head("JoinedStr", e.pos);
        exprs(static_cast<const JoinedStrExpr&>(e).values);
        out += ')';
        break;
      case ExprKind::FormattedValue: {
        const auto& f = static_cast<const FormattedValueExpr&>(e);
        head("FormattedValue", e.pos);
        expr(*f.value);
        if (f.conversion != 0) {
          out += ", conversion='";
          out += f.conversion;
          out += '\'';
        }
        if (f.format_spec) {
          out += ", format_spec=";
          expr(*f.format_spec);
        }
        out += ')';
        break;
      }
      case ExprKind::Starred: {
        const auto& s = static_cast<const StarredExpr&>(e);
        head("Starred", e.pos);
        expr(*s.value);
        ctx(s.ctx);
        out += ')';
        break;
      }
      case ExprKind::NamedExpr: {
        const auto& n = static_cast<const NamedExpr&>(e);
        head("NamedExpr", e.pos);
        expr(*n.target);
        out += ", ";
        expr(*n.value);
        out += ')';
        break;
      }
    }
  }

  void stmt(const Stmt& s)
  {
    switch (s.kind) {
      case StmtKind::Expr:
        stmtHead("Expr", s);
        expr(*static_cast<const ExprStmt&>(s).value);
        out += ')';
        break;
      case StmtKind::Assign: {
        const auto& a = static_cast<const AssignStmt&>(s);
        stmtHead("Assign", s);
        exprs(a.targets);
        out += ", ";
        expr(*a.value);
        out += ')';
        break;
      }
      case StmtKind::AugAssign: {
        const auto& a = static_cast<const AugAssignStmt&>(s);
        stmtHead("AugAssign", s);
        expr(*a.target);
        out += ", ";
        out += binOpName(a.op);
        out += ", ";
        expr(*a.value);
        out += ')';
        break;
      }
      case StmtKind::AnnAssign: {
        const auto& a = static_cast<const AnnAssignStmt&>(s);
        stmtHead("AnnAssign", s);
        expr(*a.target);
        out += ", ";
        expr(*a.annotation);
        if (a.value) {
          out += ", ";
          expr(*a.value);
        }
        out += ')';
        break;
      }
      case StmtKind::Return: {
        const auto& r = static_cast<const ReturnStmt&>(s);
        stmtHead("Return", s);
        if (r.value) {
          expr(*r.value);
        }
        out += ')';
        break;
      }
      case StmtKind::Delete:
        stmtHead("Delete", s);
        exprs(static_cast<const DeleteStmt&>(s).targets);
        out += ')';
        break;
      case StmtKind::Pass:
        stmtHead("Pass", s);
        out += ')';
        break;
      case StmtKind::Break:
        stmtHead("Break", s);
        out += ')';
        break;
      case StmtKind::Continue:
        stmtHead("Continue", s);
        out += ')';
        break;
      case StmtKind::If: {
        const auto& i = static_cast<const IfStmt&>(s);
        stmtHead("If", s);
        expr(*i.test);
        out += ", ";
        body(i.body);
        orelse("orelse", i.orelse);
        out += ')';
        break;
      }
      case StmtKind::While: {
        const auto& w = static_cast<const WhileStmt&>(s);
        stmtHead("While", s);
        expr(*w.test);
        out += ", ";
        body(w.body);
        orelse("orelse", w.orelse);
        out += ')';
        break;
      }
      case StmtKind::For: {
        const auto& f = static_cast<const ForStmt&>(s);
        stmtHead(f.is_async ? "AsyncFor" : "For", s);
        expr(*f.target);
        out += ", ";
        expr(*f.iter);
        out += ", ";
        body(f.body);
        orelse("orelse", f.orelse);
        out += ')';
        break;
      }
      case StmtKind::With: {
        const auto& w = static_cast<const WithStmt&>(s);
        stmtHead(w.is_async ? "AsyncWith" : "With", s);
        out += '[';
        for (std::size_t i = 0; i < w.items.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += "withitem(";
          expr(*w.items[i].context_expr);
          if (w.items[i].optional_vars) {
            out += ", ";
            expr(*w.items[i].optional_vars);
          }
          out += ')';
        }
        out += "], ";
        body(w.body);
        out += ')';
        break;
      }
      case StmtKind::Try: {
        const auto& t = static_cast<const TryStmt&>(s);
        stmtHead(t.is_star ? "TryStar" : "Try", s);
        body(t.body);
        out += ", [";
        for (std::size_t i = 0; i < t.handlers.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          const ExceptHandler& h = t.handlers[i];
          head("ExceptHandler", h.pos);
          if (h.type) {
            expr(*h.type);
            out += ", ";
          }
          if (!h.name.empty()) {
            out += reprStr(h.name) + ", ";
          }
          body(h.body);
          out += ')';
        }
        out += ']';
        orelse("orelse", t.orelse);
        orelse("finalbody", t.finalbody);
        out += ')';
        break;
      }
      case StmtKind::Raise: {
        const auto& r = static_cast<const RaiseStmt&>(s);
        stmtHead("Raise", s);
        if (r.exc) {
          expr(*r.exc);
        }
        if (r.cause) {
          out += ", cause=";
          expr(*r.cause);
        }
        out += ')';
        break;
      }
      case StmtKind::Assert: {
        const auto& a = static_cast<const AssertStmt&>(s);
        stmtHead("Assert", s);
        expr(*a.test);
        if (a.msg) {
          out += ", ";
          expr(*a.msg);
        }
        out += ')';
        break;
      }
      case StmtKind::Import:
      case StmtKind::ImportFrom: {
        const std::vector<Alias>* names = nullptr;
        if (s.kind == StmtKind::Import) {
          stmtHead("Import", s);
          out += '[';
          names = &static_cast<const ImportStmt&>(s).names;
        } else {
          const auto& f = static_cast<const ImportFromStmt&>(s);
          stmtHead("ImportFrom", s);
          out += reprStr(f.module) + ", [";
          names = &f.names;
        }
        for (std::size_t i = 0; i < names->size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          head("alias", (*names)[i].pos);
          out += reprStr((*names)[i].name);
          if (!(*names)[i].asname.empty()) {
            out += ", " + reprStr((*names)[i].asname);
          }
          out += ')';
        }
        out += ']';
        if (s.kind == StmtKind::ImportFrom) {
          const int level = static_cast<const ImportFromStmt&>(s).level;
          if (level != 0) {
            out += ", level=" + std::to_string(level);
          }
        }
        out += ')';
        break;
      }
      case StmtKind::Global:
      case StmtKind::Nonlocal: {
        const auto& n = static_cast<const NamesStmt&>(s);
        stmtHead(s.kind == StmtKind::Global ? "Global" : "Nonlocal", s);
        out += '[';
        for (std::size_t i = 0; i < n.names.size(); ++i) {
          if (i > 0) {
            out += ", ";
          }
          out += reprStr(n.names[i]);
        }
        out += "])";
        break;
      }
      case StmtKind::FunctionDef: {
        const auto& f = static_cast<const FunctionDefStmt&>(s);
        stmtHead(f.is_async ? "AsyncFunctionDef" : "FunctionDef", s);
        out += reprStr(f.name) + ", ";
        arguments(f.args);
        out += ", ";
        body(f.body);
        decorators(f.decorators);
        if (f.returns) {
          out += ", returns=";
          expr(*f.returns);
        }
        if (!f.docstring.empty()) {
          out += ", docstring=" + reprStr(f.docstring);
        }
        out += ')';
        break;
      }
      case StmtKind::ClassDef: {
        const auto& c = static_cast<const ClassDefStmt&>(s);
        stmtHead("ClassDef", s);
        out += reprStr(c.name) + ", ";
        body(c.body);
        if (!c.bases.empty()) {
          out += ", bases=";
          exprs(c.bases);
        }
        if (!c.keywords.empty()) {
          out += ", keywords=";
          keywords(c.keywords);
        }
        decorators(c.decorators);
        out += ')';
        break;
      }
    }
  }
};

}  // namespace

std::string dump(const Module& module, bool positions)
{
  Dumper d;
  d.positions = positions;
  d.out = "Module(";
  d.body(module.body);
  d.out += ')';
  return d.out;
}

std::string dump(const Stmt& stmt, bool positions)
{
  Dumper d;
  d.positions = positions;
  d.stmt(stmt);
  return d.out;
}

std::string dump(const Expr& expr, bool positions)
{
  Dumper d;
  d.positions = positions;
  d.expr(expr);
  return d.out;
}

}  // namespace loopscope::script
