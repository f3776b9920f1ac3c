// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The syntax tree of the Python subset loopscope runs (see docs of issue 5 in README). It follows
// CPython's `ast` module closely so that the parser and the interpreter can be checked against
// it: node names and fields are Python's, in C++ form.
//
// Ownership: every node owns its children through std::unique_ptr. Positions are 1-based lines
// and 1-based columns (CPython's col_offset + 1), the way error messages print them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace loopscope::script {

struct Pos
{
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

// ------------------------------------------------------------------ expressions

enum class ExprKind : std::uint8_t {
  Constant,        ///< ConstantExpr
  Name,            ///< NameExpr
  Attribute,       ///< AttributeExpr
  Subscript,       ///< SubscriptExpr
  Slice,           ///< SliceExpr (only as SubscriptExpr::index, or inside a Tuple index)
  Call,            ///< CallExpr
  BinOp,           ///< BinOpExpr
  UnaryOp,         ///< UnaryOpExpr
  BoolOp,          ///< BoolOpExpr
  Compare,         ///< CompareExpr
  IfExp,           ///< IfExpExpr
  Lambda,          ///< LambdaExpr
  List,            ///< SequenceExpr
  Tuple,           ///< SequenceExpr
  Set,             ///< SequenceExpr
  Dict,            ///< DictExpr
  ListComp,        ///< ComprehensionExpr
  SetComp,         ///< ComprehensionExpr
  DictComp,        ///< ComprehensionExpr (key + value)
  GeneratorExp,    ///< ComprehensionExpr
  Await,           ///< AwaitExpr
  JoinedStr,       ///< JoinedStrExpr (an f-string)
  FormattedValue,  ///< FormattedValueExpr (only inside JoinedStr)
  Starred,         ///< StarredExpr (`*x` in calls, displays and assignment targets)
  NamedExpr,       ///< NamedExpr (`x := v`)
};

struct Expr
{
  explicit Expr(ExprKind k, Pos p) : kind(k), pos(p) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  ExprKind kind;
  Pos pos;
  /// Set by the interpreter's resolver: this expression contains an `await` (not counting
  /// lambdas, which cannot await). The parser leaves it false.
  bool has_await = false;
};
using ExprPtr = std::unique_ptr<Expr>;

enum class ConstKind : std::uint8_t { None, True, False, Ellipsis, Int, Float, Str, Bytes };

struct ConstantExpr : Expr
{
  explicit ConstantExpr(Pos p) : Expr(ExprKind::Constant, p) {}
  ConstKind value_kind = ConstKind::None;
  std::int64_t i = 0;  ///< Int. A literal that does not fit in 64 bits is a parse error.
  double f = 0;        ///< Float (also `1j` is a parse error: complex is not supported)
  std::string s;       ///< Str (UTF-8, escapes decoded) or Bytes (raw bytes, escapes decoded)
};

/// Load / Store / Del, as in Python's ast.
enum class Ctx : std::uint8_t { Load, Store, Del };

struct NameExpr : Expr
{
  explicit NameExpr(Pos p) : Expr(ExprKind::Name, p) {}
  std::string id;
  Ctx ctx = Ctx::Load;
  // Filled in by the resolver.
  std::uint8_t scope = 0;
  std::int32_t slot = -1;
};

struct AttributeExpr : Expr
{
  explicit AttributeExpr(Pos p) : Expr(ExprKind::Attribute, p) {}
  ExprPtr value;
  std::string attr;
  Ctx ctx = Ctx::Load;
};

struct SubscriptExpr : Expr
{
  explicit SubscriptExpr(Pos p) : Expr(ExprKind::Subscript, p) {}
  ExprPtr value;
  ExprPtr index;  ///< a SliceExpr for `a[1:2]`; a Tuple for `a[1, 2]`
  Ctx ctx = Ctx::Load;
};

struct SliceExpr : Expr
{
  explicit SliceExpr(Pos p) : Expr(ExprKind::Slice, p) {}
  ExprPtr lower, upper, step;  ///< each may be null
};

struct Keyword
{
  Pos pos;
  std::string arg;  ///< empty for `**mapping`
  ExprPtr value;
};

struct CallExpr : Expr
{
  explicit CallExpr(Pos p) : Expr(ExprKind::Call, p) {}
  ExprPtr func;
  std::vector<ExprPtr> args;  ///< positional; `*x` is a StarredExpr
  std::vector<Keyword> keywords;
};

enum class BinOpKind : std::uint8_t {
  Add,
  Sub,
  Mult,
  MatMult,
  Div,
  Mod,
  Pow,
  LShift,
  RShift,
  BitOr,
  BitXor,
  BitAnd,
  FloorDiv
};

struct BinOpExpr : Expr
{
  explicit BinOpExpr(Pos p) : Expr(ExprKind::BinOp, p) {}
  BinOpKind op = BinOpKind::Add;
  ExprPtr left, right;
};

enum class UnaryOpKind : std::uint8_t { Invert, Not, UAdd, USub };

struct UnaryOpExpr : Expr
{
  explicit UnaryOpExpr(Pos p) : Expr(ExprKind::UnaryOp, p) {}
  UnaryOpKind op = UnaryOpKind::Not;
  ExprPtr operand;
};

struct BoolOpExpr : Expr
{
  explicit BoolOpExpr(Pos p) : Expr(ExprKind::BoolOp, p) {}
  bool is_and = true;           ///< `and` (true) or `or` (false)
  std::vector<ExprPtr> values;  ///< two or more: `a or b or c` is one node
};

enum class CmpOpKind : std::uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

struct CompareExpr : Expr
{
  explicit CompareExpr(Pos p) : Expr(ExprKind::Compare, p) {}
  ExprPtr left;
  std::vector<CmpOpKind> ops;        ///< `a < b <= c`: ops = {Lt, LtE}
  std::vector<ExprPtr> comparators;  ///< comparators = {b, c}
};

struct IfExpExpr : Expr
{
  explicit IfExpExpr(Pos p) : Expr(ExprKind::IfExp, p) {}
  ExprPtr test, body, orelse;
};

struct Arg
{
  Pos pos;
  std::string name;
  ExprPtr annotation;  ///< kept for completeness; never evaluated
};

/// A def's or lambda's parameter list (Python's ast.arguments). Positional-only parameters
/// (`/`) are accepted and treated as ordinary positional ones.
struct Arguments
{
  std::vector<Arg> args;             ///< positional-or-keyword (and positional-only)
  std::vector<ExprPtr> defaults;     ///< defaults of the *last* defaults.size() of args
  std::optional<Arg> vararg;         ///< *args
  std::vector<Arg> kwonlyargs;       ///< after `*` or `*args`
  std::vector<ExprPtr> kw_defaults;  ///< same size as kwonlyargs; null = required
  std::optional<Arg> kwarg;          ///< **kwargs
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

struct LambdaExpr : Expr
{
  explicit LambdaExpr(Pos p) : Expr(ExprKind::Lambda, p) {}
  Arguments args;
  ExprPtr body;
  /// Resolver data (scope layout), owned by the interpreter.
  std::shared_ptr<void> scope_info;
};

/// List, Tuple and Set displays.
struct SequenceExpr : Expr
{
  SequenceExpr(ExprKind k, Pos p) : Expr(k, p) {}
  std::vector<ExprPtr> elts;   ///< may contain StarredExpr
  Ctx ctx = Ctx::Load;         ///< Store for `a, b = ...` and `[a, b] = ...`
  bool parenthesized = false;  ///< Tuple written with parentheses
};

struct DictExpr : Expr
{
  explicit DictExpr(Pos p) : Expr(ExprKind::Dict, p) {}
  std::vector<ExprPtr> keys;  ///< null key = `**mapping` in values[i]
  std::vector<ExprPtr> values;
};

struct Comprehension
{
  ExprPtr target;  ///< Store context
  ExprPtr iter;
  std::vector<ExprPtr> ifs;
  bool is_async = false;
};

struct ComprehensionExpr : Expr
{
  ComprehensionExpr(ExprKind k, Pos p) : Expr(k, p) {}
  ExprPtr elt;    ///< element; for DictComp the key
  ExprPtr value;  ///< DictComp only
  std::vector<Comprehension> generators;
  std::shared_ptr<void> scope_info;  ///< resolver data
};

struct AwaitExpr : Expr
{
  explicit AwaitExpr(Pos p) : Expr(ExprKind::Await, p) {}
  ExprPtr value;
};

/// f"...": values are ConstantExpr (Str) and FormattedValueExpr, in order.
struct JoinedStrExpr : Expr
{
  explicit JoinedStrExpr(Pos p) : Expr(ExprKind::JoinedStr, p) {}
  std::vector<ExprPtr> values;
};

struct FormattedValueExpr : Expr
{
  explicit FormattedValueExpr(Pos p) : Expr(ExprKind::FormattedValue, p) {}
  ExprPtr value;
  char conversion = 0;  ///< 0, 's', 'r' or 'a'
  ExprPtr format_spec;  ///< null or a JoinedStrExpr (specs may nest `{width}`)
  /// `f"{x=}"`: the parser puts the literal text "x=" as a ConstantExpr before this node and
  /// sets conversion to 'r' when no conversion and no spec were given, as CPython does.
};

struct StarredExpr : Expr
{
  explicit StarredExpr(Pos p) : Expr(ExprKind::Starred, p) {}
  ExprPtr value;
  Ctx ctx = Ctx::Load;
};

struct NamedExpr : Expr
{
  explicit NamedExpr(Pos p) : Expr(ExprKind::NamedExpr, p) {}
  ExprPtr target;  ///< a NameExpr
  ExprPtr value;
};

// ------------------------------------------------------------------ statements

enum class StmtKind : std::uint8_t {
  Expr,
  Assign,
  AugAssign,
  AnnAssign,
  Return,
  Delete,
  Pass,
  Break,
  Continue,
  If,
  While,
  For,
  With,
  Try,
  Raise,
  Assert,
  Import,
  ImportFrom,
  Global,
  Nonlocal,
  FunctionDef,
  ClassDef
};

struct Stmt
{
  explicit Stmt(StmtKind k, Pos p) : kind(k), pos(p) {}
  virtual ~Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  StmtKind kind;
  Pos pos;
  std::uint32_t end_line = 0;  ///< last line of the statement (for multi-line statements)
  bool has_await = false;      ///< set by the resolver, like Expr::has_await
};
using Body = std::vector<StmtPtr>;

struct ExprStmt : Stmt
{
  explicit ExprStmt(Pos p) : Stmt(StmtKind::Expr, p) {}
  ExprPtr value;
};

struct AssignStmt : Stmt
{
  explicit AssignStmt(Pos p) : Stmt(StmtKind::Assign, p) {}
  std::vector<ExprPtr> targets;  ///< `a = b = v`: two targets, Store context
  ExprPtr value;
};

struct AugAssignStmt : Stmt
{
  explicit AugAssignStmt(Pos p) : Stmt(StmtKind::AugAssign, p) {}
  ExprPtr target;  ///< Name, Attribute or Subscript, Store context
  BinOpKind op = BinOpKind::Add;
  ExprPtr value;
};

/// `x: int = 5` (value may be null: `x: int`).
struct AnnAssignStmt : Stmt
{
  explicit AnnAssignStmt(Pos p) : Stmt(StmtKind::AnnAssign, p) {}
  ExprPtr target;
  ExprPtr annotation;
  ExprPtr value;
};

struct ReturnStmt : Stmt
{
  explicit ReturnStmt(Pos p) : Stmt(StmtKind::Return, p) {}
  ExprPtr value;  ///< may be null
};

struct DeleteStmt : Stmt
{
  explicit DeleteStmt(Pos p) : Stmt(StmtKind::Delete, p) {}
  std::vector<ExprPtr> targets;  ///< Del context
};

struct SimpleStmt : Stmt  ///< Pass, Break, Continue
{
  SimpleStmt(StmtKind k, Pos p) : Stmt(k, p) {}
};

struct IfStmt : Stmt
{
  explicit IfStmt(Pos p) : Stmt(StmtKind::If, p) {}
  ExprPtr test;
  Body body;
  Body orelse;  ///< `elif` is a nested IfStmt here, as in Python's ast
};

struct WhileStmt : Stmt
{
  explicit WhileStmt(Pos p) : Stmt(StmtKind::While, p) {}
  ExprPtr test;
  Body body;
  Body orelse;
};

struct ForStmt : Stmt
{
  explicit ForStmt(Pos p) : Stmt(StmtKind::For, p) {}
  bool is_async = false;
  ExprPtr target;  ///< Store context
  ExprPtr iter;
  Body body;
  Body orelse;
};

struct WithItem
{
  ExprPtr context_expr;
  ExprPtr optional_vars;  ///< may be null; Store context
};

struct WithStmt : Stmt
{
  explicit WithStmt(Pos p) : Stmt(StmtKind::With, p) {}
  bool is_async = false;
  std::vector<WithItem> items;
  Body body;
};

struct ExceptHandler
{
  Pos pos;
  ExprPtr type;      ///< null for a bare `except:`
  std::string name;  ///< `as name`; empty when absent
  Body body;
};

struct TryStmt : Stmt
{
  explicit TryStmt(Pos p) : Stmt(StmtKind::Try, p) {}
  bool is_star = false;  ///< `except*` (Python's ast.TryStar)
  Body body;
  std::vector<ExceptHandler> handlers;
  Body orelse;
  Body finalbody;
};

struct RaiseStmt : Stmt
{
  explicit RaiseStmt(Pos p) : Stmt(StmtKind::Raise, p) {}
  ExprPtr exc;    ///< null for a bare `raise`
  ExprPtr cause;  ///< `from cause`; null when absent
};

struct AssertStmt : Stmt
{
  explicit AssertStmt(Pos p) : Stmt(StmtKind::Assert, p) {}
  ExprPtr test;
  ExprPtr msg;
};

struct Alias
{
  Pos pos;
  std::string name;    ///< dotted for `import a.b`
  std::string asname;  ///< empty when absent
};

struct ImportStmt : Stmt
{
  explicit ImportStmt(Pos p) : Stmt(StmtKind::Import, p) {}
  std::vector<Alias> names;
};

struct ImportFromStmt : Stmt
{
  explicit ImportFromStmt(Pos p) : Stmt(StmtKind::ImportFrom, p) {}
  std::string module;        ///< dotted; empty for `from . import x`
  std::vector<Alias> names;  ///< a single Alias{"*"} for `from m import *`
  int level = 0;
};

struct NamesStmt : Stmt  ///< Global, Nonlocal
{
  NamesStmt(StmtKind k, Pos p) : Stmt(k, p) {}
  std::vector<std::string> names;
};

struct FunctionDefStmt : Stmt
{
  explicit FunctionDefStmt(Pos p) : Stmt(StmtKind::FunctionDef, p) {}
  bool is_async = false;
  std::string name;
  Arguments args;
  Body body;
  std::vector<ExprPtr> decorators;
  ExprPtr returns;  ///< annotation, never evaluated
  std::string docstring;
  std::shared_ptr<void> scope_info;  ///< resolver data
};

struct ClassDefStmt : Stmt
{
  explicit ClassDefStmt(Pos p) : Stmt(StmtKind::ClassDef, p) {}
  std::string name;
  std::vector<ExprPtr> bases;
  std::vector<Keyword> keywords;
  Body body;
  std::vector<ExprPtr> decorators;
  std::shared_ptr<void> scope_info;
};

/// A parsed file.
struct Module
{
  std::string filename;
  /// The source split into lines (without line ends), for tracebacks and the code view.
  std::vector<std::string> lines;
  Body body;
};

/// A syntax error or a construct outside the supported subset, with its position.
struct ParseError
{
  enum class Kind : std::uint8_t {
    Syntax,        ///< SyntaxError
    Indentation,   ///< IndentationError (a subclass of SyntaxError in Python)
    NotSupported,  ///< valid Python outside loopscope's subset
  };
  Kind kind = Kind::Syntax;
  std::string message;  ///< without position, e.g. "invalid syntax", "unterminated string literal"
  std::string filename;
  Pos pos;
  /// "file:line:col: SyntaxError: message", or "...: not supported by loopscope: message".
  std::string describe() const;
};

/// Parses `source` (UTF-8). Throws ParseError.
Module parse(std::string source, std::string filename);

}  // namespace loopscope::script
